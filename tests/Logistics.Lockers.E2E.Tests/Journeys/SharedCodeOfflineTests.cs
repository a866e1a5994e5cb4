using Logistics.Lockers.Doors;
using Logistics.Lockers.E2E.Tests.Support;
using Logistics.Lockers.Host.Link;
using Logistics.Testing;

namespace Logistics.Lockers.E2E.Tests.Journeys;

/// <summary>
/// One code for a recipient's two parcels from two shops, typed at the keypad while the link is cut: the board opens
/// both doors by itself, the replaced code opens nothing and counts as a wrong code, another recipient's parcel stays
/// shut, and once the link is back each parcel is collected in the core exactly once, from its own compartment.
/// </summary>
public sealed class SharedCodeOfflineTests : CoreTest
{
    private const string Phone = "+33 6 55 44 33 22";

    [Fact]
    public async Task ASharedCodeTypedOfflineOpensEachDoorAndEachCollectionReachesTheCoreOnce()
    {
        await using var proxy = new TcpProxy(Core.BaseAddress);
        await using var board = await InProcessBoard.StartAsync(Net, proxy.Url, web: true);
        await Wait.UntilAsync(() => board.Link.State == LinkState.Online, "the board to connect");
        var bakery = await Net.DepositedAsync(phone: Phone);
        var bookshop = await Net.DepositedAsync(phone: Phone, shop: Core.Client(Net.OtherShopKey));
        var someoneElse = await Net.DepositedAsync();
        foreach (var deposit in new[] { bakery, bookshop, someoneElse })
        {
            await Wait.UntilAsync(async () => (await board.StateAsync()).Doors.Single(d => d.Number == deposit.Compartment) is { State: "open", ParcelWaiting: true }, "the deposit's door and code");
            await board.DoorAsync(deposit.Compartment, "close");
            await Wait.UntilAsync(() => Phase(board, deposit.Compartment) == DoorPhase.Closed, "the courier to close the door");
        }

        // The board holds the shared code for both parcels (the first one's code replaced), then the cable is cut.
        await Wait.UntilAsync(
            () => board.App.Journal.Codes().Where(c => c.ParcelId == bakery.ParcelId || c.ParcelId == bookshop.ParcelId).Select(c => Convert.ToHexString(c.CodeHash)).Distinct().Count() == 1
                && board.App.Journal.Codes().Count(c => c.ParcelId == bakery.ParcelId || c.ParcelId == bookshop.ParcelId) == 2,
            "the board to hold the shared code for both parcels");
        await board.DrainedAsync();
        proxy.Cut();
        await Wait.UntilAsync(() => board.Link.State != LinkState.Online, "the board to notice the cut");

        var replaced = await board.TypeAsync(bakery.Code);
        var shared = await board.TypeAsync(bookshop.Code);

        Assert.False(replaced.Accepted);
        Assert.Equal("wrongCode", replaced.Outcome);
        Assert.True(shared.Accepted);
        Assert.Equal([bakery.Compartment, bookshop.Compartment], shared.Compartments.Order());
        foreach (var deposit in new[] { bakery, bookshop })
        {
            await Wait.UntilAsync(() => Phase(board, deposit.Compartment) == DoorPhase.Open, "each door of the shared code to open offline");
            await board.DoorAsync(deposit.Compartment, "close");
            await Wait.UntilAsync(() => Phase(board, deposit.Compartment) == DoorPhase.Closed, "the door to close");
        }

        Assert.Equal(DoorPhase.Closed, Phase(board, someoneElse.Compartment));
        Assert.False((await board.TypeAsync(bookshop.Code)).Accepted);
        await Core.SettleAsync();
        Assert.Equal("AwaitingCollection", (await Net.TrackAsync(bakery.TrackingId)).GetProperty("status").GetString());

        proxy.Down = false;
        await board.DrainedAsync();
        await Core.SettleAsync();

        var events = await DeviceEventsAsync();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        foreach (var deposit in new[] { bakery, bookshop })
        {
            var accepted = Payload(Assert.Single(events, e => e.Kind == "CodeAccepted" && Payload(e.Body).GetProperty("parcelId").GetString() == deposit.ParcelId).Body);
            Assert.Equal(deposit.Compartment, accepted.GetProperty("compartment").GetInt32());
            var track = await Net.StatusAsync(deposit.TrackingId, "Collected");
            Assert.Single(track.GetProperty("steps").EnumerateArray(), e => e.GetProperty("kind").GetString() == "collected");
            await Wait.UntilAsync(async () => (await CompartmentAsync(deposit.Compartment)).GetProperty("status").GetString() == "free", "the compartment to be free");
        }

        Assert.Equal("AwaitingCollection", (await Net.TrackAsync(someoneElse.TrackingId)).GetProperty("status").GetString());
        // The replaced code and the used-up one were wrong codes at this keypad, counted like any.
        Assert.Equal(2, (await Core.QueryAsync("select count(*) from pickup_code_failures where locker_id = $1", r => r.GetInt64(0), Net.LockerId)).Single());
        var pulses = File.ReadAllLines(board.PulseLogPath).Select(l => l.Split(' ')[^1]).ToList();
        Assert.Equal(pulses.Count, pulses.Distinct().Count());
    }

    private static DoorPhase Phase(InProcessBoard board, int compartment) => board.App.Controller.Doors.Status(new CompartmentId(compartment)).Phase;
}
