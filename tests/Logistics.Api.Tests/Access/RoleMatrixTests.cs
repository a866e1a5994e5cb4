using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Logistics.Api.Tests.Access;

/// <summary>
/// Every endpoint the host maps × every kind of caller, against the answer each must get: the endpoints come from
/// the host's own endpoint list, the expectations from the table below, so an endpoint added without its row fails
/// here. Callers of the other tenant (shop B, courier B) acting on shop A's parcel are refused without being told
/// anything about it.
/// </summary>
public sealed class RoleMatrixTests(ITestOutputHelper output) : ApiTest
{
    private const string Anyone = "anyone";

    /// <summary>An anonymous sign-in form: it answers the credentials it was sent (none here: 401), whoever sends them.</summary>
    private const string CredentialsSent = "credentials-sent";

    /// <summary>Who may call each endpoint (method and route pattern): roles, or <see cref="Anyone"/>.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["GET /"] = [Anyone],
        ["GET /track"] = [Anyone],
        ["GET /track/{trackingId}"] = [Anyone],
        ["GET /shop"] = [Anyone],
        ["GET /courier"] = [Anyone],
        ["GET /operator"] = [Anyone],
        ["GET /federation"] = [Anyone],
        ["GET /homebox/{boxId}"] = [Anyone],
        ["POST /api/home-boxes/{boxId}/claim"] = [Anyone],
        ["POST /api/home-boxes/{boxId}/release"] = [Anyone],
        ["POST /api/home-boxes/"] = ["operator"],
        ["GET /api/home-boxes/"] = ["operator"],
        ["GET /health"] = [Anyone],
        ["* /metrics"] = ["federation"],
        ["GET /api/live"] = [Anyone],
        ["GET /api/map"] = [Anyone],
        ["GET /openapi/{documentName}.json"] = [Anyone],
        ["* /lockers/link"] = [Anyone],
        ["GET /api/track/{trackingId}/"] = [Anyone],
        ["POST /api/track/{trackingId}/collect"] = [Anyone],
        ["POST /api/track/{trackingId}/extend"] = [Anyone],

        ["POST /api/session/"] = [CredentialsSent],
        ["POST /api/session/link"] = [Anyone],
        ["POST /api/session/link/redeem"] = [CredentialsSent],
        ["POST /api/session/invitation"] = [Anyone],
        ["GET /api/session/"] = ["operator", "shop", "courier", "webstore", "locker", "federation"],
        ["DELETE /api/session/"] = ["operator", "shop", "courier", "webstore", "locker", "federation"],
        ["GET /api/session/antiforgery"] = ["operator", "shop", "courier", "webstore", "locker", "federation"],
        // A person's passkeys: a session only, so every key is refused (403) and nobody signed in gets 401.
        ["POST /api/session/passkey/register/options"] = [],
        ["POST /api/session/passkey/register"] = [],
        ["GET /api/session/passkeys"] = [],
        ["POST /api/session/passkeys/{id}/remove"] = [],
        ["POST /api/session/passkey/options"] = [Anyone],
        ["POST /api/session/passkey"] = [CredentialsSent],
        ["GET /api/accounts/"] = ["operator", "shop"],
        ["POST /api/accounts/"] = ["operator", "shop"],
        ["POST /api/accounts/{id}/disable"] = ["operator", "shop"],

        ["POST /api/parcels/"] = ["shop"],
        ["POST /api/parcels/import"] = ["shop"],
        ["GET /api/parcels/"] = ["shop", "courier", "operator"],
        ["GET /api/parcels/{id}"] = ["shop", "courier", "operator"],
        ["POST /api/parcels/{id}/cancel"] = ["shop"],
        ["POST /api/parcels/{id}/drop"] = ["shop"],
        ["POST /api/parcels/{id}/pickup"] = ["courier"],
        ["POST /api/parcels/tracking/{trackingId}/pickup"] = ["courier"],
        ["POST /api/parcels/{id}/assign"] = ["operator"],
        ["POST /api/parcels/{id}/deposit"] = ["courier"],
        ["POST /api/parcels/{id}/deposit-at-relay"] = ["courier"],
        ["POST /api/parcels/{id}/deliver"] = ["courier"],
        ["POST /api/parcels/{id}/fail-delivery"] = ["courier"],
        ["POST /api/parcels/{id}/return"] = ["courier"],
        ["POST /api/parcels/{id}/reissue-code"] = ["operator"],
        ["GET /api/parcels/{id}/label.pdf"] = ["shop", "operator"],
        ["GET /api/parcels/{id}/label.zpl"] = ["shop", "operator"],
        ["GET /api/parcels/{id}/proofs/"] = ["shop", "operator"],
        ["GET /api/parcels/{id}/proofs/{proofId}/{part}"] = ["shop", "operator"],

        ["POST /api/orders/"] = ["webstore"],
        ["GET /api/orders/{orderId}"] = ["webstore"],
        ["POST /api/shops/me/webstore-key"] = ["shop"],
        ["POST /api/webhooks/"] = ["shop", "webstore"],
        ["GET /api/webhooks/"] = ["shop", "webstore", "operator"],
        ["POST /api/webhooks/{id}/disable"] = ["shop", "webstore", "operator"],
        ["GET /api/webhooks/deliveries"] = ["shop", "webstore", "operator"],
        ["POST /api/webhooks/deliveries/{id}/resend"] = ["shop", "webstore", "operator"],

        ["POST /api/couriers/me/shift/start"] = ["courier"],
        ["POST /api/couriers/me/shift/end"] = ["courier"],
        ["GET /api/couriers/me/load"] = ["courier"],
        ["GET /api/couriers/me/round/"] = ["courier"],
        ["POST /api/couriers/me/round/stops/{stopId}/complete"] = ["courier"],
        ["POST /api/couriers/me/round/stops/{stopId}/fail"] = ["courier"],
        ["GET /api/couriers"] = ["operator"],

        ["GET /api/lockers"] = ["operator", "shop", "courier", "webstore"],
        ["GET /api/shops"] = ["operator", "shop", "courier", "webstore"],
        ["GET /api/lockers/{id}"] = ["operator"],
        ["GET /api/lockers/{id}/door-log"] = ["operator"],
        ["GET /api/lockers/core-public-key"] = ["operator", "locker"],
        ["POST /api/lockers/{id}/compartments/{number:int}/remote-open"] = ["operator"],
        ["POST /api/lockers/releases"] = ["operator", "federation"],
        ["GET /api/lockers/releases"] = ["operator", "federation"],
        ["GET /api/lockers/releases/{version}/manifest.json"] = [Anyone],
        ["GET /api/lockers/releases/{version}/bundle.tar.gz"] = [Anyone],
        ["POST /api/lockers/{id}/install-release"] = ["operator"],
        ["GET /api/lockers/fleet"] = ["operator", "federation"],

        ["POST /api/shops"] = ["operator"],
        ["POST /api/lockers"] = ["operator"],
        ["POST /api/couriers"] = ["operator"],
        ["POST /api/lockers/{id}/device-key"] = ["operator"],
        ["POST /api/credentials/{role}/{id}"] = ["operator"],
        ["POST /api/credentials/{role}/{id}/revoke"] = ["operator"],
        ["POST /api/lockers/{id}/compartments/{number:int}/out-of-service"] = ["operator"],
        ["POST /api/lockers/{id}/compartments/{number:int}/return-to-service"] = ["operator"],
        ["POST /api/shops/{id}/relay-point"] = ["operator"],
        ["POST /api/people/{personId}/erase"] = ["operator"],
        ["POST /api/parcels/{id}/erase-recipient"] = ["operator"],
        ["GET /api/operations/compartments"] = ["operator"],
        ["POST /api/operations/compartments/repair"] = ["operator"],
        ["GET /api/operations/security-events"] = ["operator"],
        ["GET /api/figures"] = ["operator"],
        ["POST /api/planning/run"] = ["operator"],
        ["GET /api/rounds"] = ["operator"],
        ["GET /api/networks/"] = ["federation"],
        ["POST /api/networks/"] = ["federation"],
    };

    [Fact]
    public async Task EveryEndpointAnswersEachKindOfCallerAsItsRowSays()
    {
        var world = await WorldAsync();
        var endpoints = Endpoints();

        Assert.Empty(endpoints.Where(e => !Allowed.ContainsKey(e)).Select(e => $"no row for {e}"));
        Assert.Empty(Allowed.Keys.Where(k => !endpoints.Contains(k)).Select(k => $"a row for {k}, which the host does not map"));

        var failures = new List<string>();
        var calls = 0;
        foreach (var endpoint in endpoints.Where(e => !e.StartsWith('*')))
        {
            var (method, pattern) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
            var path = world.Path(pattern);
            var allowed = Allowed[endpoint];
            foreach (var caller in world.Callers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method == "POST")
                {
                    request.Content = JsonContent("{}");
                }

                using var response = await caller.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                calls++;
                var status = (int)response.StatusCode;
                var body = response.Content.Headers.ContentType?.MediaType is "text/event-stream" ? "" : await response.Content.ReadAsStringAsync();
                var expected = Expect(allowed, caller, pattern);
                if (!expected.Matches(status))
                {
                    failures.Add($"{endpoint} as {caller.Name}: {status}, expected {expected.Describe}");
                }

                if (status >= 500)
                {
                    failures.Add($"{endpoint} as {caller.Name}: {status} {body}");
                }

                if (caller.OtherTenant && OfShopA(pattern)
                    && world.SecretsOfA.FirstOrDefault(secret => body.Contains(secret, StringComparison.OrdinalIgnoreCase)) is { } leaked)
                {
                    failures.Add($"{endpoint} as {caller.Name} tells {leaked}: {body}");
                }
            }
        }

        output.WriteLine($"{endpoints.Count} endpoints × {world.Callers.Count} callers: {calls} calls");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static Expectation Expect(string[] allowed, Caller caller, string pattern)
    {
        if (allowed.Contains(CredentialsSent))
        {
            return Expectation.WrongCredentials;
        }

        if (allowed.Contains(Anyone))
        {
            return Expectation.NotRefusedForWhoItIs;
        }

        if (caller.Role is null)
        {
            return Expectation.Unauthenticated;
        }

        if (!allowed.Contains(caller.Role))
        {
            return Expectation.Forbidden;
        }

        // Shop A's parcel (by its id or tracking number), webhook endpoint, delivery or order, named by its id: the other shop, its web store and the
        // other courier are refused.
        return caller.OtherTenant && OfShopA(pattern) ? Expectation.RefusedWithoutTelling : Expectation.NotRefusedForWhoItIs;
    }

    private static bool OfShopA(string pattern) =>
        pattern.StartsWith("/api/parcels/{id}", StringComparison.Ordinal) || pattern.StartsWith("/api/parcels/tracking/{trackingId}", StringComparison.Ordinal)
        || pattern.StartsWith("/api/webhooks/{id}", StringComparison.Ordinal)
        || pattern.StartsWith("/api/webhooks/deliveries/{id}", StringComparison.Ordinal) || pattern.StartsWith("/api/orders/{orderId}", StringComparison.Ordinal);

    private async Task<string> WebStoreKeyAsync(string shopKey) =>
        (await TestCore.ReadAsync<System.Text.Json.JsonElement>(await Server.Client(shopKey).PostJsonAsync("/api/shops/me/webstore-key", null))).GetProperty("apiKey").GetString()!;


    private List<string> Endpoints() =>
    [
        .. Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct()
            .Order(),
    ];

    /// <summary>Shop A's parcel carried by courier A, a spare courier to hand keys to, and every kind of caller.</summary>
    private async Task<World> WorldAsync()
    {
        var (parcel, tracking) = await Net.RegisterForLockerAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        var spare = await Server.RegisterAsync("/api/couriers", new { name = "Spare", vehicle = "CargoBike", capacityUnits = 10 });
        var revoked = await Server.RegisterAsync("/api/couriers", new { name = "Gone", vehicle = "CargoBike", capacityUnits = 10 });
        await (await Server.Operator().PostJsonAsync($"/api/credentials/courier/{revoked.Id}/revoke", null)).OkAsync();
        var locker = await Server.RegisterAsync("/api/lockers", new { name = "Consigne Test", address = "Rue", latitude = 47.41, longitude = 0.98, compartments = new[] { new { number = 1, size = "S", lowHeight = false } } });
        // Shop A's web store: an order, a webhook endpoint (on a closed port: its delivery waits to be retried).
        var store = Server.Client(await WebStoreKeyAsync(Net.ShopKey));
        var endpoint = await TestCore.ReadAsync<System.Text.Json.JsonElement>(await store.PostJsonAsync("/api/webhooks", new { url = "http://127.0.0.1:9/hooks" }));
        await (await store.PostJsonAsync("/api/orders", new
        {
            orderId = "WC-1",
            recipient = new { name = "Camille Martin", phone = TestNetwork.Phone },
            size = "S",
            destination = new { kind = "locker", lockerId = Net.LockerId },
        })).OkAsync();
        await Server.SettleAsync();
        var delivery = (await TestCore.ReadAsync<System.Text.Json.JsonElement>(await store.GetAsync("/api/webhooks/deliveries")))[0].GetProperty("id").GetString()!;
        return new World(
            parcel,
            tracking,
            Net.LockerId,
            Net.ShopId,
            spare.Id,
            endpoint.GetProperty("id").GetString()!,
            delivery,
            [
                new("anonymous", null, Server.Client()),
                new("bogus key", null, Server.Client("lg_shop_NOTAKEYNOTAKEYNOTAKEYNOTAKEY00")),
                new("revoked key", null, Server.Client(revoked.Key)),
                new("locker", "locker", Server.Client(locker.Key)),
                new("shop A", "shop", Server.Client(Net.ShopKey)),
                new("shop B", "shop", Server.Client(Net.OtherShopKey), OtherTenant: true),
                new("web store A", "webstore", store),
                new("web store B", "webstore", Server.Client(await WebStoreKeyAsync(Net.OtherShopKey)), OtherTenant: true),
                new("courier B", "courier", Server.Client(Net.OtherCourierKey), OtherTenant: true),
                new("courier A", "courier", Server.Client(Net.CourierKey)),
                new("operator", "operator", Server.Operator()),
                new("federation", "federation", Server.Federation()),
            ],
            [tracking, "Camille Martin", TestNetwork.Phone, "camille@example.org", "Boulangerie"]);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private sealed record Caller(string Name, string? Role, HttpClient Client, bool OtherTenant = false);

    private sealed record World(string Parcel, string Tracking, string Locker, string Shop, string SpareCourier, string WebhookEndpoint, string WebhookDelivery, IReadOnlyList<Caller> Callers, IReadOnlyList<string> SecretsOfA)
    {
        /// <summary>A path for a route pattern, its parameters filled with shop A's world (or harmless values).</summary>
        public string Path(string pattern)
        {
            var path = pattern
                .Replace("/api/parcels/{id}", $"/api/parcels/{Parcel}", StringComparison.Ordinal)
                .Replace("/api/lockers/{id}", $"/api/lockers/{Locker}", StringComparison.Ordinal)
                .Replace("/api/shops/{id}", $"/api/shops/{Shop}", StringComparison.Ordinal)
                .Replace("/api/credentials/{role}/{id}", $"/api/credentials/courier/{SpareCourier}", StringComparison.Ordinal)
                .Replace("/api/webhooks/deliveries/{id}", $"/api/webhooks/deliveries/{WebhookDelivery}", StringComparison.Ordinal)
                .Replace("/api/webhooks/{id}", $"/api/webhooks/{WebhookEndpoint}", StringComparison.Ordinal)
                .Replace("/api/accounts/{id}", $"/api/accounts/{Guid.Empty}", StringComparison.Ordinal)
                .Replace("/api/session/passkeys/{id}", "/api/session/passkeys/bm8", StringComparison.Ordinal)
                .Replace("{orderId}", "WC-1", StringComparison.Ordinal)
                .Replace("{proofId}/{part}", "no-such-proof/photo", StringComparison.Ordinal)
                .Replace("{personId}", "no-such-person", StringComparison.Ordinal)
                .Replace("{boxId}", "no-such-box", StringComparison.Ordinal)
                .Replace("{number:int}", "1", StringComparison.Ordinal)
                .Replace("{trackingId}", Tracking, StringComparison.Ordinal)
                .Replace("{stopId}", "no-such-stop", StringComparison.Ordinal)
                .Replace("{version}", "9.9.9", StringComparison.Ordinal)
                .Replace("{documentName}", "v1", StringComparison.Ordinal);
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);
            return path;
        }
    }

    private sealed record Expectation(string Describe, Func<int, bool> Matches)
    {
        public static readonly Expectation Unauthenticated = new("401", s => s == 401);

        public static readonly Expectation Forbidden = new("403", s => s == 403);

        public static readonly Expectation WrongCredentials = new("401 for the empty credentials", s => s == 401);

        public static readonly Expectation RefusedWithoutTelling = new("403, 404, 409 or 422", s => s is 403 or 404 or 409 or 422);

        public static readonly Expectation NotRefusedForWhoItIs = new("neither 401 nor 403", s => s is not (401 or 403));
    }
}
