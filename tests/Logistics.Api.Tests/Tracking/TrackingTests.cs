using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Tracking;

/// <summary>What the customer sees and does with the tracking number alone.</summary>
public sealed class TrackingTests : ApiTest
{
    [Fact]
    public async Task TheCustomerCanAskForMoreTimeOnce()
    {
        var (_, tracking, _, _) = await Net.DepositedAsync();

        var extended = await TestCore.ReadAsync<JsonElement>(await Net.Customer.PostJsonAsync($"/api/track/{tracking}/extend", null));
        Server.Clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        await RunSchedulerAsync();
        await Server.SettleAsync();

        Assert.Equal(Server.Clock.GetUtcNow().AddDays(2).AddMinutes(-1).Date, extended.GetProperty("collectBy").GetDateTimeOffset().Date);
        Assert.Equal("AwaitingCollection", (await TestCore.ReadAsync<JsonElement>(await Net.Customer.GetAsync($"/api/track/{tracking}"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task TrackingShowsNoPersonalDataOfTheRecipient()
    {
        var (_, tracking) = await Net.RegisterForLockerAsync();
        await Server.SettleAsync();

        var body = await (await Net.Customer.GetAsync($"/api/track/{tracking}")).Content.ReadAsStringAsync();

        Assert.Contains(tracking, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Camille", body, StringComparison.Ordinal);
        Assert.DoesNotContain("33 44", body, StringComparison.Ordinal);
        Assert.DoesNotContain("example.org", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownTrackingNumberIsANotFoundProblem()
    {
        var response = await Net.Customer.GetAsync("/api/track/LG-0000-0000");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("LG-0000-0000", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
