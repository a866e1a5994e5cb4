using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing;
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
    public async Task ARightCodeOpensTheDoorThroughTheBoardAndTheCompartmentIsFreedOnlyAfterTheDoorCycled()
    {
        await using var board = await Net.BoardAsync();
        var deposit = await Net.DepositedAsync();

        var answer = await Net.CollectAsync(deposit.TrackingId, deposit.Code);

        Assert.Equal("opening", answer.GetProperty("status").GetString());
        var command = Assert.Single(board.Executed.OfType<Logistics.LockerLink.CommandBody.OpenForCollection>());
        Assert.Equal((deposit.Compartment, deposit.ParcelId), (command.Compartment, command.ParcelId));
        // The operator sees the compartment free once the board has reported the door closed again (after "Collected").
        await Wait.UntilAsync(
            async () =>
            {
                await Server.SettleAsync();
                return (await Net.LockerAsync()).GetProperty("compartments").EnumerateArray()
                    .Single(c => c.GetProperty("number").GetInt32() == deposit.Compartment).GetProperty("status").GetString() == "free";
            },
            "the compartment freed");

        // In the locker's history: the door opened for the recipient, closed, and only then the compartment was freed.
        var events = (await Server.LockerEventsAsync(Net.LockerId)).ToList();
        var freed = events.FindIndex(e => e is Domain.Lockers.CompartmentFreed f && f.Compartment == deposit.Compartment);
        var closed = events.FindLastIndex(freed, e => e is Domain.Lockers.DoorClosed c && c.Compartment == deposit.Compartment);
        var opened = events.FindLastIndex(closed, e => e is Domain.Lockers.DoorOpened o && o.Compartment == deposit.Compartment);
        Assert.True(opened >= 0 && opened < closed && closed < freed, string.Join(", ", events.Select(e => e.GetType().Name)));
    }

    [Fact]
    public async Task ADoorThatDoesNotOpenLeavesTheParcelWaitingAndTheCustomerIsToldSo()
    {
        await using var board = await Net.BoardAsync();
        var deposit = await Net.DepositedAsync();
        board.DoorsWork = false;

        var answer = await TestCore.ReadAsync<JsonElement>(await Net.Customer.PostJsonAsync($"/api/track/{deposit.TrackingId}/collect", new { code = deposit.Code }));

        Assert.Equal("opening", answer.GetProperty("status").GetString());
        var view = await Net.TrackUntilAsync(deposit.TrackingId, v => v.GetProperty("door").GetString() == "notOpened", "door notOpened");
        Assert.Equal("AwaitingCollection", view.GetProperty("status").GetString());
        Assert.Equal("occupied", (await Net.LockerAsync()).GetProperty("compartments").EnumerateArray().Single(c => c.GetProperty("number").GetInt32() == deposit.Compartment).GetProperty("status").GetString());
    }

    [Fact]
    public async Task WithoutABoardOnlineTheCodeIsForTheKeypadAndNothingIsCollected()
    {
        var deposit = await Net.DepositedAsync();

        var refused = await Net.Customer.PostJsonAsync($"/api/track/{deposit.TrackingId}/collect", new { code = deposit.Code });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("locker.offline", (await refused.JsonAsync()).GetProperty("code").GetString());
        await Server.SettleAsync();
        Assert.Equal("AwaitingCollection", (await Net.TrackAsync(deposit.TrackingId)).GetProperty("status").GetString());
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
