using System.Net.Http.Json;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace Logistics.Api.Tests.Access;

/// <summary>
/// Two networks in one deployment: the first (the test's network A) and Blois (B), made by the federation operator,
/// each with its shops, lockers, couriers, a parcel on its way, a webhook, an order, an account and a home box. Every
/// endpoint that takes an id is called by each of A's callers with B's ids (copied, as a hostile caller would): none
/// answers 2xx, none tells anything of B, and nothing of B changes in the store. A's lists show nothing of B, and
/// B's nothing of A; references to B's lockers and couriers in A's requests are refused; the federation sees both.
/// </summary>
public sealed class TenantMatrixTests(ITestOutputHelper output) : ApiTest
{
    private const string PhoneB = "+33 6 77 66 55 44";

    private const string NameB = "Bérénice Blésoise";

    [Fact]
    public async Task NothingOfAnotherNetworkIsVisibleOrWritableWithAKeyOfThisOne()
    {
        var b = await NetworkBAsync();
        var (parcelA, _) = await Net.RegisterForLockerAsync();
        var storeA = Server.Client(await WebStoreKeyAsync(Net.ShopKey));
        var callersA = new (string Name, HttpClient Client)[]
        {
            ("operator A", Server.Operator()), ("shop A", Net.Shop), ("courier A", Net.Courier), ("web store A", storeA),
        };
        var before = await StateOfBAsync(b);

        var failures = new List<string>();
        var calls = 0;
        foreach (var endpoint in Endpoints().Where(e => e.Contains('{') && !ForAnyone(e)))
        {
            var (method, pattern) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
            var path = b.Path(pattern);
            foreach (var (name, client) in callersA)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method == "POST")
                {
                    request.Content = JsonContent.Create(BodyFor(pattern, b));
                }

                using var response = await client.SendAsync(request);
                calls++;
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                if (status is < 400 or >= 500)
                {
                    failures.Add($"{endpoint} as {name} with B's ids: {status} {body}");
                }

                if (b.Secrets.FirstOrDefault(secret => body.Contains(secret, StringComparison.OrdinalIgnoreCase)) is { } told)
                {
                    failures.Add($"{endpoint} as {name} tells '{told}': {body}");
                }
            }
        }

        // References to B's things inside A's requests: a parcel to B's locker or relay shop, A's parcel given to B's courier.
        var toLockerB = await Net.Shop.PostAsJsonAsync("/api/parcels", new { recipient = new { name = "Ana", phone = "+33 6 12 12 12 12" }, size = "S", destination = new { kind = "locker", lockerId = b.Net.LockerId } });
        var toRelayB = await Net.Shop.PostAsJsonAsync("/api/parcels", new { recipient = new { name = "Ana", phone = "+33 6 12 12 12 12" }, size = "S", destination = new { kind = "relay", shopId = b.Net.RelayShopId } });
        await Server.SettleAsync();
        var toCourierB = await Server.Operator().PostAsJsonAsync($"/api/parcels/{parcelA}/assign", new { courierId = b.Net.CourierId });
        foreach (var (what, response) in new[] { ("a parcel to B's locker", toLockerB), ("a parcel to B's relay shop", toRelayB), ("A's parcel assigned to B's courier", toCourierB) })
        {
            if (response.IsSuccessStatusCode || (int)response.StatusCode >= 500)
            {
                failures.Add($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        await Server.SettleAsync();
        var after = await StateOfBAsync(b);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, after);

        // Lists: A's show nothing of B, B's nothing of A.
        var lists = new[] { "/api/parcels", "/api/shops", "/api/lockers", "/api/couriers", "/api/rounds", "/api/home-boxes", "/api/accounts", "/api/webhooks", "/api/webhooks/deliveries", "/api/operations/security-events", "/api/operations/compartments" };
        var idsOfA = new[] { Net.ShopId, Net.LockerId, Net.CourierId, parcelA };
        foreach (var list in lists)
        {
            var ofA = await (await Server.Operator().GetAsync(list)).Content.ReadAsStringAsync();
            var ofB = await (await b.Operator.GetAsync(list)).Content.ReadAsStringAsync();
            Assert.True(b.Secrets.Concat(b.Ids).All(s => !ofA.Contains(s, StringComparison.OrdinalIgnoreCase)), $"A's {list} shows B: {ofA}");
            Assert.True(idsOfA.All(s => !ofB.Contains(s, StringComparison.Ordinal)), $"B's {list} shows A: {ofB}");
        }

        Assert.Contains(b.Parcel, await (await b.Operator.GetAsync("/api/parcels")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(b.Net.LockerId, await (await b.Operator.GetAsync("/api/lockers")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The federation sees both networks side by side.
        var networks = await TestCore.ReadAsync<JsonElement>(await Server.Federation().GetAsync("/api/networks"));
        var blois = networks.EnumerateArray().Single(n => n.GetProperty("networkId").GetString() == "blois");
        Assert.Equal((2, 3, 2), (blois.GetProperty("shops").GetInt32(), blois.GetProperty("lockers").GetInt32(), blois.GetProperty("couriers").GetInt32()));
        Assert.Equal(1, blois.GetProperty("inTransit").GetInt32());
        Assert.Contains(networks.EnumerateArray(), n => n.GetProperty("networkId").GetString() == "main");
        output.WriteLine($"{calls} calls with B's ids by {callersA.Length} callers of A; B's store unchanged: {after}");
    }

    [Fact]
    public async Task PlanningRunsPerNetworkAndAnOperatorPlansOnlyItsOwn()
    {
        var b = await NetworkBAsync();
        await (await Net.Courier.PostAsJsonAsync("/api/couriers/me/shift/start", new { })).OkAsync();
        var (parcelA, _) = await Net.RegisterForLockerAsync();
        await Server.SettleAsync();

        // A's operator plans: A's courier takes A's parcel; B's parcel (its courier on shift) is not planned by A.
        var planA = await TestCore.ReadAsync<JsonElement>(await Server.Operator().PostAsync("/api/planning/run", null));
        await Server.SettleAsync();
        Assert.Equal(1, planA.GetProperty("rounds").GetInt32());
        var roundsA = await (await Server.Operator().GetAsync("/api/rounds")).Content.ReadAsStringAsync();
        Assert.Contains(parcelA, roundsA, StringComparison.Ordinal);
        Assert.DoesNotContain(b.Parcel, roundsA, StringComparison.Ordinal);
        Assert.Equal("[]", await (await b.Operator.GetAsync("/api/rounds")).Content.ReadAsStringAsync());

        // B's operator plans B: B's round holds B's parcel only, and a plan of B changes nothing of A's round.
        var planB = await TestCore.ReadAsync<JsonElement>(await b.Operator.PostAsync("/api/planning/run", null));
        await Server.SettleAsync();
        Assert.Equal(1, planB.GetProperty("rounds").GetInt32());
        var roundsB = await (await b.Operator.GetAsync("/api/rounds")).Content.ReadAsStringAsync();
        Assert.Contains(b.Parcel, roundsB, StringComparison.Ordinal);
        Assert.DoesNotContain(parcelA, roundsB, StringComparison.Ordinal);
        Assert.Equal(roundsA, await (await Server.Operator().GetAsync("/api/rounds")).Content.ReadAsStringAsync());
    }

    /// <summary>Blois: its network, its operator, shops, lockers, couriers, a parcel on board its courier, a webhook, an order, an account, a home box.</summary>
    private async Task<WorldB> NetworkBAsync()
    {
        var operatorKey = await Server.CreateNetworkAsync("blois", "Blois");
        var op = Server.Client(operatorKey);
        var net = await TestNetwork.CreateAsync(Server, asOperator: op, names: "Blois ");
        var (parcel, tracking) = await net.RegisterForLockerAsync(phone: PhoneB);
        await (await net.Courier.PostAsJsonAsync("/api/couriers/me/shift/start", new { })).OkAsync();
        await (await net.Courier.PostAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        var store = Server.Client(await WebStoreKeyAsync(net.ShopKey));
        var endpoint = await TestCore.ReadAsync<JsonElement>(await store.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1:9/hooks" }));
        await (await store.PostAsJsonAsync("/api/orders", new
        {
            orderId = "BL-1",
            recipient = new { name = NameB, phone = PhoneB },
            size = "S",
            destination = new { kind = "locker", lockerId = net.LockerId },
        })).OkAsync();
        var account = await TestCore.ReadAsync<JsonElement>(await op.PostAsJsonAsync("/api/accounts", new { email = "vendeur@blois.test", role = "shop", subjectId = net.ShopId }));
        var box = await TestCore.ReadAsync<JsonElement>(await op.PostAsJsonAsync("/api/home-boxes", new { name = "Boîte Blois", address = "1 rue du Château, Blois", latitude = 47.586, longitude = 1.331, size = "M" }));
        await Server.SettleAsync();
        var delivery = (await TestCore.ReadAsync<JsonElement>(await store.GetAsync("/api/webhooks/deliveries")))[0].GetProperty("id").GetString()!;
        await using var person = Server.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("select person_id from rm_parcels where parcel_id = $1");
        person.Parameters.Add(new NpgsqlParameter { Value = parcel });
        return new WorldB(
            net,
            op,
            parcel,
            tracking,
            endpoint.GetProperty("id").GetString()!,
            delivery,
            account.GetProperty("id").GetString()!,
            box.GetProperty("boxId").GetString()!,
            (string)(await person.ExecuteScalarAsync())!);
    }

    /// <summary>What of B a write by A would change: its events, door commands, keys, accounts, webhooks and device keys.</summary>
    private async Task<string> StateOfBAsync(WorldB b)
    {
        await using var command = Server.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            """
            select concat_ws(' | ',
                'events ' || (select count(*) from es_events where metadata->>'network' = 'blois'),
                'door commands ' || (select count(*) from locker_commands where locker_id = any($1)),
                'keys ' || (select count(*) || '/' || count(revoked_at) from api_credentials where subject_id = any($2)),
                'accounts disabled ' || (select count(disabled_at) from accounts where network_id = 'blois'),
                'webhooks disabled ' || (select count(disabled_at) from webhook_endpoints where shop_id = any($2)),
                'deliveries due ' || (select count(next_attempt_at) from webhook_deliveries where shop_id = any($2)),
                'device keys ' || (select md5(coalesce(string_agg(encode(coalesce(public_key, ''::bytea), 'hex'), ',' order by locker_id), '')) from locker_devices where locker_id = any($1)),
                'erased ' || (select count(*) from rm_parcels where network_id = 'blois' and recipient_name <> $3))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { b.Net.LockerId, b.Net.FarLockerId, b.Box } });
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { b.Net.ShopId, b.Net.RelayShopId, b.Net.CourierId, b.Box } });
        command.Parameters.Add(new NpgsqlParameter { Value = NameB });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    // The customer's pages (by tracking number), the resident's (by pairing code) and the sign-in forms answer whoever
    // holds what they ask for; a person's own passkeys need a session. They take no network's key.
    private static bool ForAnyone(string endpoint) =>
        endpoint.Contains("/api/track/", StringComparison.Ordinal) || endpoint.Contains("/api/home-boxes/{boxId}", StringComparison.Ordinal)
        || endpoint.Contains("/homebox/", StringComparison.Ordinal) || endpoint.Contains("/track/{", StringComparison.Ordinal)
        || endpoint.Contains("/api/session/", StringComparison.Ordinal) || endpoint.Contains("/openapi/", StringComparison.Ordinal)
        || endpoint.Contains("/api/lockers/releases/{version}/", StringComparison.Ordinal);

    // A body each write would accept were the ids A's own, so what refuses it is the network, not the form.
    private static object BodyFor(string pattern, WorldB b) => pattern switch
    {
        _ when pattern.EndsWith("/out-of-service", StringComparison.Ordinal) || pattern.EndsWith("/remote-open", StringComparison.Ordinal) => new { reason = "test" },
        _ when pattern.EndsWith("/cancel", StringComparison.Ordinal) || pattern.EndsWith("/fail-delivery", StringComparison.Ordinal) => new { reason = "test" },
        _ when pattern.EndsWith("/assign", StringComparison.Ordinal) => new { courierId = b.Net.CourierId },
        _ when pattern.EndsWith("/drop", StringComparison.Ordinal) => new { lockerId = b.Net.LockerId },
        _ => new { },
    };

    private async Task<string> WebStoreKeyAsync(string shopKey) =>
        (await TestCore.ReadAsync<JsonElement>(await Server.Client(shopKey).PostAsync("/api/shops/me/webstore-key", null))).GetProperty("apiKey").GetString()!;

    private List<string> Endpoints() =>
    [
        .. Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct()
            .Order(),
    ];

    private sealed record WorldB(TestNetwork Net, HttpClient Operator, string Parcel, string Tracking, string WebhookEndpoint, string WebhookDelivery, string Account, string Box, string Person)
    {
        /// <summary>What A must never be told: B's recipient, tracking number, town.</summary>
        public string[] Secrets => [Tracking, NameB, PhoneB, "Blois"];

        public string[] Ids => [Net.ShopId, Net.LockerId, Net.CourierId, Parcel, Box];

        public string Path(string pattern)
        {
            var path = pattern
                .Replace("/api/parcels/{id}", $"/api/parcels/{Parcel}", StringComparison.Ordinal)
                .Replace("/api/lockers/{id}", $"/api/lockers/{Net.LockerId}", StringComparison.Ordinal)
                .Replace("/api/shops/{id}/relay-point", $"/api/shops/{Net.ShopId}/relay-point?enabled=false", StringComparison.Ordinal)
                .Replace("/api/credentials/{role}/{id}", $"/api/credentials/courier/{Net.CourierId}", StringComparison.Ordinal)
                .Replace("/api/webhooks/deliveries/{id}", $"/api/webhooks/deliveries/{WebhookDelivery}", StringComparison.Ordinal)
                .Replace("/api/webhooks/{id}", $"/api/webhooks/{WebhookEndpoint}", StringComparison.Ordinal)
                .Replace("/api/accounts/{id}", $"/api/accounts/{Account}", StringComparison.Ordinal)
                .Replace("{orderId}", "BL-1", StringComparison.Ordinal)
                .Replace("{proofId}/{part}", "no-such-proof/photo", StringComparison.Ordinal)
                .Replace("{personId}", Person, StringComparison.Ordinal)
                .Replace("{number:int}", "1", StringComparison.Ordinal)
                .Replace("{trackingId}", Tracking, StringComparison.Ordinal)
                .Replace("{stopId}", "no-such-stop", StringComparison.Ordinal);
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);
            return path;
        }
    }
}
