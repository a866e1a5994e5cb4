using System.Net;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Parcels;

public sealed class PickupCodeTests : ApiTest
{
    protected override int SmallCompartments => 6;

    [Fact]
    public async Task TheCodeIsTwelveDigitsWithThePhoneAndSingleUse()
    {
        var (_, tracking, _, code) = await Net.DepositedAsync();

        Assert.Equal(12, code.Length);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code = code[..8] })).StatusCode);
        await (await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code })).OkAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code })).StatusCode);
    }

    [Fact]
    public async Task FiveWrongCodesBlockTheParcelsCodeAndAReissuedCodeWorks()
    {
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
        await (await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code = fresh })).OkAsync();
    }

    [Fact]
    public async Task TwentyWrongCodesAnHourAtALockerThrottleEveryoneThereUntilTheHourPasses()
    {
        var parcels = new List<(string Tracking, string Code)>();
        for (var i = 0; i < 5; i++)
        {
            var (_, tracking, _, code) = await Net.DepositedAsync();
            parcels.Add((tracking, code));
        }

        // Four wrong codes on each of five parcels: 20 failures at this locker, no parcel blocked.
        foreach (var (tracking, _) in parcels)
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code = "111111111111" })).StatusCode);
            }
        }

        var throttled = await Net.Customer.PostJsonAsync($"/api/track/{parcels[0].Tracking}/collect", new { code = parcels[0].Code });
        Server.Clock.Advance(TimeSpan.FromMinutes(61));
        var later = await Net.Customer.PostJsonAsync($"/api/track/{parcels[0].Tracking}/collect", new { code = parcels[0].Code });

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter is not null);
        await later.OkAsync();
    }

    [Fact]
    public async Task ACodeDoesNotOpenAnotherParcel()
    {
        var (_, first, _, firstCode) = await Net.DepositedAsync();
        var (_, second, _, _) = await Net.DepositedAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Net.Customer.PostJsonAsync($"/api/track/{second}/collect", new { code = firstCode })).StatusCode);
        await (await Net.Customer.PostJsonAsync($"/api/track/{first}/collect", new { code = firstCode })).OkAsync();
    }
}
