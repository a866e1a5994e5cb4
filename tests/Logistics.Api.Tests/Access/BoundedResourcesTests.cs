using System.Net;
using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Api.Pages;
using Logistics.Api.Tests.Support;
using Logistics.Application.Access;
using Logistics.Application.Idempotency;
using Logistics.Testing;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Logistics.Api.Tests.Access;

/// <summary>
/// Issue 11, class 13: what a careless or hostile caller could make the core hold is bounded. The API key cache
/// (every made-up key is a miss), the idempotency rows (answered or not), the live feeds (per address and in all)
/// and how long a revoked key keeps working on another node.
/// </summary>
public sealed class BoundedResourcesTests : ApiTest
{
    protected override LogisticsOptions Configure(LogisticsOptions options) =>
        options with { LiveFeedConnections = 3, LiveFeedConnectionsPerAddress = 2 };

    [Fact]
    public async Task ARevokedKeyStopsWorkingOnEveryNodeWithinASecond()
    {
        await using var other = await TestCore.StartAsync(connectionString: Server.ConnectionString, clock: Server.Clock);
        using var shopOnOther = other.Client(Net.ShopKey);
        Assert.Equal(HttpStatusCode.OK, (await shopOnOther.GetAsync("/api/parcels")).StatusCode);

        await (await Server.Operator().PostJsonAsync($"/api/credentials/shop/{Net.ShopId}/revoke", null)).OkAsync();

        // The revoking node refuses at once; the other node at the latest when its cached answer is a second old.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Net.Shop.GetAsync("/api/parcels")).StatusCode);
        Assert.True(ApiKeys.CacheFor <= TimeSpan.FromSeconds(1), $"a key is cached for {ApiKeys.CacheFor}");
        Server.Clock.Advance(ApiKeys.CacheFor);
        Assert.Equal(HttpStatusCode.Unauthorized, (await shopOnOther.GetAsync("/api/parcels")).StatusCode);
    }

    [Fact]
    public async Task MadeUpKeysCannotGrowTheKeyCache()
    {
        var keys = new ApiKeys(Server.Services.GetRequiredService<NpgsqlDataSource>(), Server.Clock, cacheCapacity: 50);
        for (var i = 0; i < 500; i++)
        {
            Assert.Null(await keys.FindAsync($"lg_shop_made-up-{i}"));
        }

        Assert.InRange(keys.Cached, 1, 50);
        Assert.Equal("shop", (await keys.FindAsync(Net.ShopKey))?.Role);
    }

    [Fact]
    public async Task IdempotencyRowsExpireAnsweredOrNot()
    {
        var store = Server.Services.GetRequiredService<IdempotencyStore>();
        var now = Server.Clock.GetUtcNow();
        var answered = await store.ClaimAsync("test-owner", "answered", "hash-a", default);
        Assert.NotNull(answered);
        await store.CompleteAsync(answered, 200, "application/json", "{}"u8.ToArray());
        Assert.NotNull(await store.ClaimAsync("test-owner", "never-answered", "hash-b", default));

        Assert.Equal(0, await store.PurgeAsync(now + IdempotencyStore.UnansweredRetention - TimeSpan.FromMinutes(1), default));
        Assert.Equal(1, await store.PurgeAsync(now + IdempotencyStore.UnansweredRetention + TimeSpan.FromMinutes(1), default));
        Assert.Null(await store.FindAsync("test-owner", "never-answered", default));
        Assert.NotNull(await store.FindAsync("test-owner", "answered", default));

        Assert.Equal(1, await store.PurgeAsync(now + IdempotencyStore.Retention + TimeSpan.FromMinutes(1), default));
        Assert.Null(await store.FindAsync("test-owner", "answered", default));
    }

    [Fact]
    public async Task LiveFeedsAreLimitedPerAddressAndInAll()
    {
        using var client = Server.Client();
        using var first = await OpenFeedAsync(client);
        using var second = await OpenFeedAsync(client);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        using (var third = await OpenFeedAsync(client))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
            Assert.Equal("live-feed.full", JsonDocument.Parse(await third.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        // Another address gets the node's last place, then the node is full for everyone.
        var changes = Server.Services.GetRequiredService<LiveChanges>();
        using var elsewhere = changes.Listen("192.0.2.10");
        Assert.NotNull(elsewhere);
        Assert.Null(changes.Listen("192.0.2.11"));

        // A page that goes away frees its place.
        second.Dispose();
        await Wait.UntilAsync(() => changes.Listening == 2, "the closed feed to leave");
        using var again = await OpenFeedAsync(client);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private static async Task<HttpResponseMessage> OpenFeedAsync(HttpClient client)
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/live"), HttpCompletionOption.ResponseHeadersRead);
        if (response.IsSuccessStatusCode)
        {
            // The feed is open once its hello arrived.
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line && line != "event: hello")
            {
            }
        }

        return response;
    }
}
