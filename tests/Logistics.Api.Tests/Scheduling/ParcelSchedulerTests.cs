using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Scheduling;

/// <summary>Reminders and expiry from the clock, then the way back to the shop.</summary>
public sealed class ParcelSchedulerTests : ApiTest
{
    [Fact]
    public async Task AnUncollectedParcelIsRemindedThenExpiresAndGoesBackToItsShop()
    {
        var (parcel, tracking, _, _) = await Net.DepositedAsync();
        Assert.Equal(0, await RunSchedulerAsync());

        Server.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await RunSchedulerAsync());
        await Server.SettleAsync();
        Assert.Equal(0, await RunSchedulerAsync());
        Assert.Contains(Server.Sms.Sent, m => m.Text.StartsWith("Rappel", StringComparison.Ordinal) && m.Text.Contains(tracking, StringComparison.Ordinal));

        Server.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await RunSchedulerAsync());
        await Server.SettleAsync();
        await Net.AssignAsync(parcel);
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/return", null)).OkAsync();
        await Server.SettleAsync();

        var view = await TestCore.ReadAsync<JsonElement>(await Net.Customer.GetAsync($"/api/track/{tracking}"));
        Assert.Equal("Returned", view.GetProperty("status").GetString());
        var kinds = view.GetProperty("steps").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(new[] { "reminder", "expired", "pickedUpForReturn", "returned" }, kinds.Skip(3));
    }
}
