using Logistics.Lockers.Doors;
using Logistics.Lockers.E2E.Tests.Support;
using Logistics.Lockers.Host.Link;
using Logistics.Testing;

namespace Logistics.Lockers.E2E.Tests.Journeys;

/// <summary>
/// The cable between the board and the core cut (a TCP relay reset, no WebSocket goodbye) in the middle of one
/// pickup and before another: both collections reach the core once the link is back, each exactly once, the
/// offline one with the time it really happened at the locker.
/// </summary>
public sealed class LinkCutTests : CoreTest
{
    [Fact]
    public async Task CollectionsDuringACutLinkReachTheCoreExactlyOnceWithTheBoardsTime()
    {
        await using var proxy = new TcpProxy(Core.BaseAddress);
        await using var board = await InProcessBoard.StartAsync(Net, proxy.Url, web: true);
        await Wait.UntilAsync(() => board.Link.State == LinkState.Online, "the board to connect");
        var first = await Net.DepositedAsync();
        var second = await Net.DepositedAsync();
        foreach (var deposit in new[] { first, second })
        {
            await Wait.UntilAsync(async () => (await board.StateAsync()).Doors.Single(d => d.Number == deposit.Compartment) is { State: "open", ParcelWaiting: true }, "the deposit's door and code");
            await board.DoorAsync(deposit.Compartment, "close");
            await Wait.UntilAsync(() => Phase(board, deposit.Compartment) == DoorPhase.Closed, "the courier to close the door");
        }

        await board.DrainedAsync();

        // Cut in the middle of the first pickup: the collection is journalled and maybe on the wire, not acknowledged.
        Assert.True((await board.TypeAsync(first.Code)).Accepted);
        proxy.Cut();
        await Wait.UntilAsync(() => Phase(board, first.Compartment) == DoorPhase.Open, "the first door to open");
        await board.DoorAsync(first.Compartment, "close");
        await Wait.UntilAsync(() => board.Link.State != LinkState.Online, "the board to notice the cut");

        // The second customer collects while the locker is offline: the code is checked on the board.
        var typedAt = DateTimeOffset.UtcNow;
        Assert.True((await board.TypeAsync(second.Code)).Accepted);
        await Wait.UntilAsync(() => Phase(board, second.Compartment) == DoorPhase.Open, "the second door to open offline");
        await board.DoorAsync(second.Compartment, "close");
        await Wait.UntilAsync(() => Phase(board, first.Compartment) == DoorPhase.Closed && Phase(board, second.Compartment) == DoorPhase.Closed, "the doors to close");
        await Core.SettleAsync();
        Assert.Equal("AwaitingCollection", (await Net.TrackAsync(second.TrackingId)).GetProperty("status").GetString());
        Assert.False((await Net.LockerAsync()).GetProperty("locker").GetProperty("online").GetBoolean());

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var restoredAt = DateTimeOffset.UtcNow;
        proxy.Down = false;
        await board.DrainedAsync();
        await Core.SettleAsync();

        var events = await DeviceEventsAsync();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(board.App.Journal.LastSeq, events.Count);
        Assert.True(board.Link.Sessions >= 2);
        foreach (var deposit in new[] { first, second })
        {
            var accepted = Payload(Assert.Single(events, e => e.Kind == "CodeAccepted" && Payload(e.Body).GetProperty("parcelId").GetString() == deposit.ParcelId).Body);
            var track = await Net.TrackAsync(deposit.TrackingId);
            Assert.Equal("Collected", track.GetProperty("status").GetString());
            var step = Assert.Single(track.GetProperty("steps").EnumerateArray(), e => e.GetProperty("kind").GetString() == "collected");
            Assert.Equal(accepted.GetProperty("collectedAt").GetDateTimeOffset(), step.GetProperty("at").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
            Assert.Equal("free", (await CompartmentAsync(deposit.Compartment)).GetProperty("status").GetString());
        }

        var offline = (await Net.TrackAsync(second.TrackingId)).GetProperty("steps").EnumerateArray()
            .Single(e => e.GetProperty("kind").GetString() == "collected").GetProperty("at").GetDateTimeOffset();
        Assert.InRange(offline, typedAt.AddMilliseconds(-1), restoredAt.AddSeconds(-1));
        Assert.True((await Net.LockerAsync()).GetProperty("locker").GetProperty("online").GetBoolean());
        var pulses = File.ReadAllLines(board.PulseLogPath).Select(l => l.Split(' ')[^1]).ToList();
        Assert.Equal(pulses.Count, pulses.Distinct().Count());
    }

    private static DoorPhase Phase(InProcessBoard board, int compartment) => board.App.Controller.Doors.Status(new CompartmentId(compartment)).Phase;
}
