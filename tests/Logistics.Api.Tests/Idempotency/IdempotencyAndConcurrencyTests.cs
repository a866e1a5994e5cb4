using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Idempotency;

public sealed class IdempotencyAndConcurrencyTests : ApiTest
{
    protected override int SmallCompartments => 1;

    private object ParcelFor(string name) => new
    {
        recipient = new { name, phone = "+33 6 00 00 00 01" },
        size = "S",
        destination = new { kind = "locker", lockerId = Net.LockerId },
    };

    [Fact]
    public async Task ARetriedPostWithTheSameIdempotencyKeyHasOneEffect()
    {
        var first = await Net.Shop.PostJsonAsync("/api/parcels", ParcelFor("Ana"), idempotencyKey: "register-ana-1");
        var retry = await Net.Shop.PostJsonAsync("/api/parcels", ParcelFor("Ana"), idempotencyKey: "register-ana-1");
        await Server.SettleAsync();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Single((await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync("/api/parcels"))).EnumerateArray());
    }

    [Fact]
    public async Task StoredAnswersArePurgedAfterTheirRetentionAndALateRetryStillHasOneEffect()
    {
        var first = await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync("/api/parcels", ParcelFor("Ana"), idempotencyKey: "register-ana-late"));
        var store = Server.Services.GetRequiredService<Application.Idempotency.IdempotencyStore>();

        Assert.Equal(0, await store.PurgeAsync(Server.Clock.GetUtcNow(), default));
        Server.Clock.Advance(Application.Idempotency.IdempotencyStore.Retention + TimeSpan.FromMinutes(1));
        Assert.True(await store.PurgeAsync(Server.Clock.GetUtcNow(), default) >= 1);

        var late = await Net.Shop.PostJsonAsync("/api/parcels", ParcelFor("Ana"), idempotencyKey: "register-ana-late");
        await Server.SettleAsync();

        Assert.False(late.Headers.Contains("Idempotent-Replayed"));
        var again = await TestCore.ReadAsync<JsonElement>(late);
        Assert.Equal(first.GetProperty("parcelId").GetString(), again.GetProperty("parcelId").GetString());
        Assert.Equal(first.GetProperty("trackingId").GetString(), again.GetProperty("trackingId").GetString());
        Assert.Single((await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync("/api/parcels"))).EnumerateArray());
    }

    [Fact]
    public async Task TheSameKeyForAnotherRequestIsRefused()
    {
        await (await Net.Shop.PostJsonAsync("/api/parcels", ParcelFor("Ana"), idempotencyKey: "k-1")).OkAsync();

        var other = await Net.Shop.PostJsonAsync("/api/parcels", ParcelFor("Bruno"), idempotencyKey: "k-1");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("idempotency-key-reused", (await other.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ConcurrentRetriesOfOneDepositReserveOneCompartmentAndAnswerTheSame()
    {
        var (parcel, _) = await Net.RegisterForLockerAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null, idempotencyKey: "deposit-1")));
        // Requests that arrived while the first was running were told to retry: they do, and get its answer.
        var settled = new List<string>();
        foreach (var answer in answers)
        {
            var response = answer;
            for (var attempt = 0; response.StatusCode == HttpStatusCode.Conflict && attempt < 50; attempt++)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                await Task.Delay(100);
                response = await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null, idempotencyKey: "deposit-1");
            }

            settled.Add(await response.Content.ReadAsStringAsync());
            await response.OkAsync();
        }

        await Server.SettleAsync();
        Assert.Single(settled.Distinct());
        Assert.Single(Server.Sms.Sent);
    }

    [Fact]
    public async Task TwoCouriersRacingForTheLastCompartmentOfASizeNeverGetTheSameOne()
    {
        // The locker has one S, one M and one L compartment: three S parcels fill it; the fourth has no room.
        var couriers = new[] { Net.Courier, Server.Client(Net.OtherCourierKey) };
        var parcels = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (parcel, _) = await Net.RegisterForLockerAsync();
            await (await couriers[i % 2].PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
            parcels.Add(parcel);
        }

        var results = await Task.WhenAll(parcels.Select((p, i) => couriers[i % 2].PostJsonAsync($"/api/parcels/{p}/deposit", null)));

        var placed = new List<int>();
        foreach (var r in results.Where(r => r.IsSuccessStatusCode))
        {
            placed.Add((await r.JsonAsync()).GetProperty("compartment").GetInt32());
        }

        var refused = Assert.Single(results, r => !r.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("compartment", (await refused.JsonAsync()).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, placed.Distinct().Count());
    }

    [Fact]
    public async Task BadJsonIsAProblemDocumentSayingWhatIsWrong()
    {
        var response = await Net.Shop.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/parcels")
        {
            Content = new StringContent("{\"recipient\": {\"name\": \"Ana\"", System.Text.Encoding.UTF8, "application/json"),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AHomeDeliveryWithoutAnAddressNamesEachMissingField()
    {
        var response = await Net.Shop.PostJsonAsync("/api/parcels", new { recipient = new { name = "Ana", phone = "+33600000000" }, size = "S", destination = new { kind = "home" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("recipient.address", out _));
        Assert.True(errors.TryGetProperty("destination.window", out _));
    }
}
