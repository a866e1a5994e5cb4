using System.Net;
using System.Text;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;
using Logistics.WebhookReceiver;

namespace Logistics.Api.Tests.Webhooks;

/// <summary>
/// Issue 16, part 2: a shop's web store sends its orders in with its own key and hears back through signed webhooks,
/// received here by the example receiver (examples/Logistics.WebhookReceiver) on loopback, which checks every signature.
/// </summary>
public sealed class WebStoreTests : ApiTest, IAsyncLifetime
{
    private WebhookInbox _inbox = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _inbox = await WebhookInbox.StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _inbox.DisposeAsync();
        await DisposeAsync();
    }

    private string ReceiverUrl => _inbox.Url;

    private IReadOnlyList<ReceivedWebhook> Received() => _inbox.Received;

    private async Task<HttpClient> WebStoreAsync(HttpClient shop)
    {
        var issued = await TestCore.ReadAsync<JsonElement>(await shop.PostJsonAsync("/api/shops/me/webstore-key", null));
        return Server.Client(issued.GetProperty("apiKey").GetString());
    }

    private async Task SubscribeAsync(HttpClient client)
    {
        var added = await TestCore.ReadAsync<JsonElement>(await client.PostJsonAsync("/api/webhooks", new { url = ReceiverUrl }));
        _inbox.Secret = added.GetProperty("secret").GetString()!;
    }

    private object Order(string orderId, string? locker = null) => new
    {
        orderId,
        recipient = new { name = "Camille Martin", phone = "+33 6 12 34 56 78", email = "camille@example.org" },
        size = "S",
        destination = new { kind = "locker", lockerId = locker ?? Net.LockerId },
    };

    [Fact]
    public async Task AnOrderBecomesOneParcelHoweverOftenItIsSentAndAChangedOrderIsRefused()
    {
        var store = await WebStoreAsync(Net.Shop);

        var first = await store.PostJsonAsync("/api/orders", Order("WC-1042"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await first.JsonAsync();
        var again = await store.PostJsonAsync("/api/orders", Order("WC-1042"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var repeated = await again.JsonAsync();
        Assert.Equal(created.GetProperty("parcelId").GetString(), repeated.GetProperty("parcelId").GetString());
        Assert.True(repeated.GetProperty("repeated").GetBoolean());

        var changed = await store.PostJsonAsync("/api/orders", Order("WC-1042", Net.FarLockerId));
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Equal("order.changed", (await changed.JsonAsync()).GetProperty("code").GetString());

        await Server.SettleAsync();
        var parcels = (await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync("/api/parcels"))).EnumerateArray().ToList();
        Assert.Equal(created.GetProperty("trackingId").GetString(), Assert.Single(parcels).GetProperty("trackingId").GetString());
        var status = await TestCore.ReadAsync<JsonElement>(await store.GetAsync("/api/orders/WC-1042"));
        Assert.Equal("AwaitingPickup", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AWebStoreKeyDoesOnlyWhatAStoreDoesAndSeesOnlyItsShopsOrders()
    {
        var store = await WebStoreAsync(Net.Shop);
        var otherStore = await WebStoreAsync(Server.Client(Net.OtherShopKey));
        await (await store.PostJsonAsync("/api/orders", Order("WC-7"))).OkAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await otherStore.GetAsync("/api/orders/WC-7")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await store.GetAsync("/api/parcels")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await store.PostJsonAsync("/api/shops/me/webstore-key", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Net.Shop.PostJsonAsync("/api/orders", Order("WC-8"))).StatusCode);
        var bad = await store.PostJsonAsync("/api/orders", Order("not an id!"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EveryStatusChangeReachesTheStoreSignedOnceEvenAfterItsSystemWasDown()
    {
        var store = await WebStoreAsync(Net.Shop);
        await SubscribeAsync(store);
        _inbox.FailNext(1);

        var order = await TestCore.ReadAsync<JsonElement>(await store.PostJsonAsync("/api/orders", Order("WC-2001")));
        var parcel = order.GetProperty("parcelId").GetString();
        await Server.SettleAsync();
        Assert.Empty(Received());
        var failed = Assert.Single(await DeliveriesAsync(store));
        Assert.Equal(("pending", 503), (failed.GetProperty("state").GetString(), failed.GetProperty("lastStatus").GetInt32()));

        // The retry comes after its delay, and the courier's moves follow.
        Server.Clock.Advance(TimeSpan.FromSeconds(6));
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null)).OkAsync();
        await Server.SettleAsync();
        await Server.SettleAsync();

        var received = Received();
        Assert.Equal(["parcel.awaiting-pickup", "parcel.in-transit", "parcel.awaiting-collection"], received.Select(r => r.Type).Order(Comparer<string>.Create(ByStatusOrder)));
        Assert.All(received, r => Assert.Equal("WC-2001", r.Data.GetProperty("reference").GetString()));
        Assert.All(received, r => Assert.Equal(order.GetProperty("trackingId").GetString(), r.Data.GetProperty("trackingId").GetString()));
        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
        // Nothing personal goes to the shop's systems: it knows its customer, the network does not repeat them.
        Assert.DoesNotContain(received, r => r.Data.GetRawText().Contains("Camille", StringComparison.Ordinal) || r.Data.GetRawText().Contains("+33", StringComparison.Ordinal));

        var log = await DeliveriesAsync(store);
        Assert.All(log, d => Assert.Equal("delivered", d.GetProperty("state").GetString()));
        var retried = log.Single(d => d.GetProperty("type").GetString() == "parcel.awaiting-pickup");
        Assert.Equal([503, 200], retried.GetProperty("attemptLog").EnumerateArray().Select(a => a.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task SendAgainRepeatsTheSameWebhookIdAndAForgedOneIsRefused()
    {
        var store = await WebStoreAsync(Net.Shop);
        await SubscribeAsync(Net.Shop);
        await (await store.PostJsonAsync("/api/orders", Order("WC-3001"))).OkAsync();
        await Server.SettleAsync();
        var delivery = Assert.Single(await DeliveriesAsync(Net.Shop));
        var firstId = Assert.Single(Received()).Id;

        // "Send again" from the operator's console: the receiver sees the same id, and handles it once.
        Assert.Equal(HttpStatusCode.Accepted, (await Server.Operator().PostJsonAsync($"/api/webhooks/deliveries/{delivery.GetProperty("id").GetString()}/resend", null)).StatusCode);
        await Server.SettleAsync();
        Assert.Equal(2, Assert.Single(await DeliveriesAsync(Net.Shop)).GetProperty("attempts").GetInt32());
        Assert.Equal(firstId, Assert.Single(Received()).Id);
        // Another shop cannot send it again, nor see it.
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Client(Net.OtherShopKey).PostJsonAsync($"/api/webhooks/deliveries/{delivery.GetProperty("id").GetString()}/resend", null)).StatusCode);
        Assert.Empty(await DeliveriesAsync(Server.Client(Net.OtherShopKey)));

        // A message signed with another secret, or altered on the way, is refused by the receiver.
        using var http = new HttpClient();
        var body = """{"type":"parcel.collected","timestamp":"2026-12-06T10:00:00Z","data":{}}""";
        using var forged = new HttpRequestMessage(HttpMethod.Post, ReceiverUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var now = DateTimeOffset.UtcNow;
        forged.Headers.Add("webhook-id", "msg_forged");
        forged.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        forged.Headers.Add("webhook-signature", new StandardWebhooks.StandardWebhook("whsec_" + Convert.ToBase64String(new byte[32])).Sign("msg_forged", now, body));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);
        Assert.Single(Received());
    }

    [Fact]
    public async Task AnEndpointMustBeAUrlAndADisabledOneHearsNothingMore()
    {
        var bad = await Net.Shop.PostJsonAsync("/api/webhooks", new { url = "ftp://example.org/hooks" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.True((await bad.JsonAsync()).GetProperty("errors").TryGetProperty("url", out _));

        var added = await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync("/api/webhooks", new { url = ReceiverUrl }));
        _inbox.Secret = added.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", _inbox.Secret, StringComparison.Ordinal);
        var listed = Assert.Single((await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync("/api/webhooks"))).EnumerateArray());
        Assert.False(listed.TryGetProperty("secret", out _));
        var secretInDatabase = await Server.QueryAsync("select count(*) from webhook_endpoints where position(convert_to($1, 'UTF8') in wrapped_secret) > 0", r => r.GetInt64(0), _inbox.Secret["whsec_".Length..]);
        Assert.Equal(0, secretInDatabase.Single());

        Assert.Equal(HttpStatusCode.NotFound, (await Server.Client(Net.OtherShopKey).PostJsonAsync($"/api/webhooks/{added.GetProperty("id").GetString()}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Net.Shop.PostJsonAsync($"/api/webhooks/{added.GetProperty("id").GetString()}/disable", null)).StatusCode);
        await (await Net.Shop.PostJsonAsync("/api/parcels", new { recipient = new { name = "Ana", phone = "+33 6 00 00 00 01" }, size = "S", destination = new { kind = "locker", lockerId = Net.LockerId } })).OkAsync();
        await Server.SettleAsync();
        Assert.Empty(Received());
        Assert.Empty(await DeliveriesAsync(Net.Shop));
    }

    /// <summary>
    /// Issue 16, part 3: a client generated from the served document (openapi-typescript types, the openapi-fetch
    /// client, checked by tsc) runs the store's intake journey (tools/openapi/webstore/journey.ts); the webhook it
    /// registered then brings the order's first event, signed, to the example receiver.
    /// </summary>
    [Fact]
    public async Task AClientGeneratedFromTheOpenApiDocumentRunsTheWebStoreJourney()
    {
        var webstore = Path.Combine(OpenApiTools.Folder, "webstore");
        var generated = Directory.CreateDirectory(Path.Combine(webstore, "generated")).FullName;
        await File.WriteAllTextAsync(Path.Combine(generated, "v1.json"), await Server.Client().GetStringAsync("/openapi/v1.json"));
        var types = await OpenApiTools.NodeAsync([OpenApiTools.Script("openapi-typescript/bin/cli.js"), Path.Combine(generated, "v1.json"), "-o", Path.Combine(generated, "api.d.ts")]);
        Assert.True(types.ExitCode == 0, $"openapi-typescript: {types.Output}{types.Errors}");
        var compiled = await OpenApiTools.NodeAsync([OpenApiTools.Script("typescript/bin/tsc"), "-p", webstore]);
        Assert.True(compiled.ExitCode == 0, $"the journey does not type-check against the generated client: {compiled.Output}{compiled.Errors}");

        var store = await WebStoreAsync(Net.Shop);
        var key = store.DefaultRequestHeaders.Authorization!.Parameter!;
        var run = await OpenApiTools.NodeAsync(
            [Path.Combine(webstore, "out", "journey.js")],
            new Dictionary<string, string> { ["LOGISTICS_URL"] = Server.BaseAddress.ToString().TrimEnd('/'), ["WEBSTORE_KEY"] = key, ["LOCKER_ID"] = Net.LockerId, ["HOOK_URL"] = ReceiverUrl });
        Assert.True(run.ExitCode == 0, $"the journey failed: {run.Output}{run.Errors}");
        var answer = JsonDocument.Parse(run.Output.Trim()).RootElement;
        Assert.Equal(("AwaitingPickup", "order.changed"), (answer.GetProperty("status").GetString(), answer.GetProperty("refusedCode").GetString()));

        _inbox.Secret = answer.GetProperty("secret").GetString()!;
        await Server.SettleAsync();
        var received = Assert.Single(Received());
        Assert.Equal(("parcel.awaiting-pickup", "TS-1001", answer.GetProperty("trackingId").GetString()),
            (received.Type, received.Data.GetProperty("reference").GetString(), received.Data.GetProperty("trackingId").GetString()));
    }

    private static int ByStatusOrder(string a, string b)
    {
        string[] order = ["parcel.awaiting-pickup", "parcel.in-transit", "parcel.awaiting-collection"];
        return Array.IndexOf(order, a).CompareTo(Array.IndexOf(order, b));
    }

    private static async Task<List<JsonElement>> DeliveriesAsync(HttpClient client) =>
        [.. (await TestCore.ReadAsync<JsonElement>(await client.GetAsync("/api/webhooks/deliveries"))).EnumerateArray()];
}
