using Logistics.Lockers.Doors;
using Logistics.Lockers.E2E.Tests.Support;
using Logistics.Lockers.Host.Link;
using Logistics.Testing;

namespace Logistics.Lockers.E2E.Tests.Journeys;

/// <summary>
/// The real board program against the real core over a real WebSocket: a courier's deposit opens the door, the
/// customer types the code on the locker's own page, the door opens, and the core records the collection.
/// </summary>
public sealed class DepositAndCollectionTests : CoreTest
{
    [Fact]
    public async Task ACourierDepositOpensTheDoorAndTheCodeTypedAtTheLockerCollectsTheParcel()
    {
        await using var board = await InProcessBoard.StartAsync(Net, web: true);
        await Wait.UntilAsync(() => board.Link.State == LinkState.Online, "the board to connect");
        var deposit = await Net.DepositedAsync();
        var door = board.Door(deposit.Compartment);

        // The core's signed command opens the door for the courier, and the code's verifier reaches the board.
        await Wait.UntilAsync(async () => (await board.StateAsync()).Doors.Single(d => d.Number == deposit.Compartment) is { State: "open", ParcelWaiting: true }, "the door to open for the deposit and the code to arrive");
        await board.DoorAsync(deposit.Compartment, "close");
        await Wait.UntilAsync(() => board.App.Controller.Doors.Status(new CompartmentId(deposit.Compartment)).Phase == DoorPhase.Closed, "the courier to close the door");

        var answer = await board.TypeAsync(deposit.Code);
        Assert.True(answer.Accepted, answer.Message);
        Assert.Equal(deposit.Compartment, answer.Compartment);
        await Wait.UntilAsync(() => board.App.Controller.Doors.Status(new CompartmentId(deposit.Compartment)).Phase == DoorPhase.Open, "the door to open for the customer");
        Assert.True(door.IsOpen);
        Assert.False((await board.DoorAsync(deposit.Compartment, "close")).Open);
        await Wait.UntilAsync(() => board.App.Controller.Doors.Status(new CompartmentId(deposit.Compartment)).Phase == DoorPhase.Closed, "the customer to close the door");
        await board.DrainedAsync();
        await Core.SettleAsync();

        var events = await DeviceEventsAsync();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(board.App.Journal.LastSeq, events.Count);
        var doorStory = events.Select(e => e.Kind).Where(k => k is "PulseSent" or "DoorOpened" or "DoorClosed" or "CodeAccepted").ToList();
        Assert.Equal(["PulseSent", "DoorOpened", "DoorClosed", "CodeAccepted", "PulseSent", "DoorOpened", "DoorClosed"], doorStory);
        var collected = Payload(Assert.Single(events, e => e.Kind == "CodeAccepted").Body);
        Assert.Equal(deposit.ParcelId, collected.GetProperty("parcelId").GetString());
        Assert.All(events.Where(e => e.Kind == "CommandResult"), e => Assert.Equal("executed", Payload(e.Body).GetProperty("status").GetString(), ignoreCase: true));

        var track = await Net.TrackAsync(deposit.TrackingId);
        Assert.Equal("Collected", track.GetProperty("status").GetString());
        var step = Assert.Single(track.GetProperty("steps").EnumerateArray(), e => e.GetProperty("kind").GetString() == "collected");
        Assert.Equal(collected.GetProperty("collectedAt").GetDateTimeOffset(), step.GetProperty("at").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        var compartment = await CompartmentAsync(deposit.Compartment);
        Assert.Equal("free", compartment.GetProperty("status").GetString());
        Assert.False(compartment.GetProperty("doorOpen").GetBoolean());
        Assert.True((await Net.LockerAsync()).GetProperty("locker").GetProperty("online").GetBoolean());

        var pulses = File.ReadAllLines(board.PulseLogPath).Select(l => l.Split(' ')[^1]).ToList();
        Assert.Equal(2, pulses.Count);
        Assert.StartsWith("command:", pulses[0], StringComparison.Ordinal);
        Assert.Equal("parcel:" + deposit.ParcelId, pulses[1]);
        var page = (await board.StateAsync()).Doors.Single(d => d.Number == deposit.Compartment);
        Assert.Equal("closed", page.State);
        Assert.False(page.ParcelWaiting);
    }
}
