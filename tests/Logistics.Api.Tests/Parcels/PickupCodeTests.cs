using System.Net;
using Logistics.Api.Hosting;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Parcels;

public sealed class PickupCodeTests : ApiTest
{
    protected override int SmallCompartments => 6;

    /// <summary>The production limit on the customer's endpoints (the other tests lift it to poll the tracking view).</summary>
    protected override LogisticsOptions Configure(LogisticsOptions options) => options with { TrackingRequestsPerMinute = LogisticsOptions.DefaultTrackingRequestsPerMinute };

    [Fact]
    public async Task TheCodeIsTwelveDigitsWithThePhoneAndSingleUse()
    {
        await using var board = await Net.BoardAsync();
        var (_, tracking, _, code) = await Net.DepositedAsync();

        Assert.Equal(12, code.Length);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code = code[..8] })).StatusCode);
        await Net.CollectAsync(tracking, code);
        Assert.Equal(HttpStatusCode.Conflict, (await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code })).StatusCode);
    }

    [Fact]
    public async Task FiveWrongCodesBlockTheParcelsCodeAndAReissuedCodeWorks()
    {
        await using var board = await Net.BoardAsync();
        var (parcel, tracking, _, code) = await Net.DepositedAsync();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code = "000000000000" });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        }

        var blocked = await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code });
        await (await Server.Operator().PostJsonAsync($"/api/parcels/{parcel}/reissue-code", null)).OkAsync();
        await Server.SettleAsync();
        var fresh = Server.Sms.CodeFor(tracking, TestNetwork.Phone);

        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        Assert.Contains("blocked", (await blocked.JsonAsync()).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(code, fresh);
        await Net.CollectAsync(tracking, fresh);
    }

    [Fact]
    public async Task TenWrongCodesFromOneAddressThrottleThatAddressOnlyAcrossParcelsUntilTheHourPasses()
    {
        await using var board = await Net.BoardAsync();
        var parcels = await DepositedAsync(3);
        var attacker = From("203.0.113.7");

        // Ten wrong codes spread over three parcels: no parcel's code is blocked, but the address is spent.
        foreach (var (deposit, tries) in parcels.Zip([4, 4, 2]))
        {
            for (var i = 0; i < tries; i++)
            {
                Assert.Equal(HttpStatusCode.UnprocessableEntity, (await attacker.PostJsonAsync($"/api/track/{deposit.TrackingId}/collect", new { code = "111111111111" })).StatusCode);
            }
        }

        var throttled = await attacker.PostJsonAsync($"/api/track/{parcels[2].TrackingId}/collect", new { code = "222222222222" });
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("pickup-code.throttled", (await throttled.JsonAsync()).GetProperty("code").GetString());
        Assert.NotNull(throttled.Headers.RetryAfter);

        // Its recipients, elsewhere, are not locked out; the attacker may guess again an hour later.
        await CollectFromAsync(From("198.51.100.20"), parcels[0]);
        Server.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await attacker.PostJsonAsync($"/api/track/{parcels[2].TrackingId}/collect", new { code = "333333333333" })).StatusCode);
    }

    [Fact]
    public async Task AnAttackOnALockerThrottlesTheAttackersThereButNotItsRecipients()
    {
        await using var board = await Net.BoardAsync();
        var parcels = await DepositedAsync(5);
        string[] attackers = ["203.0.113.1", "203.0.113.2", "203.0.113.3"];

        // Twenty wrong codes at the locker in the hour from three addresses, at most four on any parcel.
        var n = 0;
        foreach (var (address, count) in attackers.Zip([8, 8, 4]))
        {
            var client = From(address);
            for (var i = 0; i < count; i++, n++)
            {
                var parcel = parcels[n % parcels.Count];
                Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostJsonAsync($"/api/track/{parcel.TrackingId}/collect", new { code = "111111111111" })).StatusCode);
            }
        }

        // Every attacker waits, even holding a right code; a recipient who never failed there still collects, and
        // another one may still get a code wrong without being turned away.
        foreach (var address in attackers)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, (await From(address).PostJsonAsync($"/api/track/{parcels[0].TrackingId}/collect", new { code = parcels[0].Code })).StatusCode);
        }

        await CollectFromAsync(From("198.51.100.30"), parcels[1]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await From("198.51.100.31").PostJsonAsync($"/api/track/{parcels[2].TrackingId}/collect", new { code = "444444444444" })).StatusCode);
        Server.Clock.Advance(TimeSpan.FromMinutes(61));
        await CollectFromAsync(From(attackers[0]), parcels[0]);
    }

    [Fact]
    public async Task ParallelWrongCodesCannotRaceAParcelPastItsFiveAttempts()
    {
        var deposit = await Net.DepositedAsync();

        var answers = await Task.WhenAll(Enumerable.Range(1, 12).Select(i =>
            From($"198.51.100.{i}").PostJsonAsync($"/api/track/{deposit.TrackingId}/collect", new { code = "555555555555" })));
        await Server.SettleAsync();

        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.UnprocessableEntity));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(5, (await Server.ParcelEventsAsync(deposit.ParcelId)).Count(e => e is Domain.Parcels.WrongCodeEntered));
    }

    [Fact]
    public async Task AWrongCodeRetriedWithTheSameIdempotencyKeyCountsAgain()
    {
        var deposit = await Net.DepositedAsync();

        var first = await Net.Customer.PostJsonAsync($"/api/track/{deposit.TrackingId}/collect", new { code = "666666666666" }, idempotencyKey: "same-try");
        var again = await Net.Customer.PostJsonAsync($"/api/track/{deposit.TrackingId}/collect", new { code = "666666666666" }, idempotencyKey: "same-try");

        Assert.Equal(3, (await first.JsonAsync()).GetProperty("values").GetProperty("left").GetInt32() - 1);
        Assert.Equal(3, (await again.JsonAsync()).GetProperty("values").GetProperty("left").GetInt32());
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task TheTrackingEndpointsLimitRequestsPerAddress()
    {
        var deposit = await Net.DepositedAsync();
        var guesser = From("203.0.113.50");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 61; i++)
        {
            answers.Add((await guesser.GetAsync($"/api/track/LG-{i:0000}-GUES")).StatusCode);
        }

        Assert.All(answers.Take(60), a => Assert.Equal(HttpStatusCode.NotFound, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
        var refused = await guesser.GetAsync($"/api/track/{deposit.TrackingId}");
        Assert.Equal("rate-limited", (await refused.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await From("198.51.100.60").GetAsync($"/api/track/{deposit.TrackingId}")).StatusCode);
    }

    /// <summary>A customer's browser at <paramref name="address"/> (as the load balancer in front reports it).</summary>
    private HttpClient From(string address)
    {
        var client = Server.Client();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private async Task<List<Deposit>> DepositedAsync(int count)
    {
        var deposits = new List<Deposit>();
        for (var i = 0; i < count; i++)
        {
            deposits.Add(await Net.DepositedAsync());
        }

        return deposits;
    }

    private async Task CollectFromAsync(HttpClient client, Deposit deposit)
    {
        await (await client.PostJsonAsync($"/api/track/{deposit.TrackingId}/collect", new { code = deposit.Code })).OkAsync();
        await Net.StatusAsync(deposit.TrackingId, "Collected");
    }

    [Fact]
    public async Task ACodeDoesNotOpenAnotherParcel()
    {
        await using var board = await Net.BoardAsync();
        var (_, first, _, firstCode) = await Net.DepositedAsync();
        var (_, second, _, _) = await Net.DepositedAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Net.Customer.PostJsonAsync($"/api/track/{second}/collect", new { code = firstCode })).StatusCode);
        await Net.CollectAsync(first, firstCode);
    }
}
