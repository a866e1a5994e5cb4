using Logistics.Domain.Rounds;

namespace Logistics.Domain.Tests.Rounds;

public partial class RoundTests
{
    private static readonly RoundStop LatePickup = new("d", Pickup.Place, [new(Late, TaskKind.PickUp, ParcelSize.S)], null, T0.AddMinutes(30));
    private static readonly RoundStop LateDeposit = new("e", Deposit.Place, [new(Late, TaskKind.Deposit, ParcelSize.S, 4)], null, T0.AddMinutes(40));

    [Fact]
    public void GivenPickupsDone_WhenReplanRound_ThenDoneStopsStayAndTheRestIsReplaced()
    {
        var spec = Given(PickedUpBoth).When(new ReplanRound([Deposit, LatePickup, LateDeposit, Deliver], 6.1, T0.AddMinutes(20)));

        var events = spec.ThenState();
        var track = Assert.IsType<Round.Active>(events).Track;
        Assert.Equal(["a", "b", "d", "e", "c"], track.Stops.Select(s => s.Stop.StopId));
        Assert.True(track.Stops[0].Completed);
        Assert.Equal(6.1, track.DistanceKm);
    }

    [Fact]
    public void GivenPlanned_WhenReplanRoundSaysWhatChanged_ThenTheEventCarriesIt()
    {
        RoundChange[] changes = [new(ToHome, RoundChangeKind.Removed, RoundChangeReason.PassesFirst, Ben, "Ben"), new(Late, RoundChangeKind.Added, RoundChangeReason.NewParcel)];
        var command = new ReplanRound([Deposit, LatePickup, LateDeposit], 5.0, T0.AddMinutes(20)) { Changes = changes };

        var replanned = Assert.IsType<RoundReplanned>(Assert.Single(Decided(Given(PickedUpBoth), command)));

        Assert.Equal(changes, replanned.Changes);
    }

    [Fact]
    public void GivenPlanned_WhenReplanRoundWithTheSameWork_ThenNothingHappens() =>
        Given(PickedUpBoth).When(new ReplanRound([Deposit with { PlannedArrival = T0.AddMinutes(15) }, Deliver], 4.0, T0.AddMinutes(9))).Then();

    [Fact]
    public void GivenAPickupDone_WhenReplanRoundStillPlanningIt_ThenItIsLeftOut()
    {
        var command = new ReplanRound([Pickup with { StopId = "a2" }, Deposit, Deliver], 4.2, T0.AddMinutes(6));
        var spec = Given(Planned, Done(Pickup, ToLocker, TaskKind.PickUp, 5)).When(command);

        var replanned = Assert.IsType<RoundReplanned>(Assert.Single(Decided(spec, command)));
        Assert.Equal([ToHome], replanned.Stops[0].Parcels.Select(t => t.Parcel));
        var track = TrackAfter(spec);
        Assert.Equal(["a", "a2", "b", "c"], track.Stops.Select(s => s.Stop.StopId));
        Assert.True(track.Stops[0].Completed);
        Assert.Equal([ToLocker], track.Stops[0].Stop.Parcels.Select(t => t.Parcel));
    }

    [Fact]
    public void GivenPlanned_WhenReplanRoundReusingADoneStopId_ThenRefused() =>
        Given(PickedUpBoth).When(new ReplanRound([Deposit, LatePickup with { StopId = "a" }], 1, T0)).ThenRefused("round.duplicate-stop");

    [Fact]
    public void GivenNothingDone_WhenReplanRoundWithNothing_ThenCancelled()
    {
        var command = new ReplanRound([], 0, T0.AddMinutes(1));
        var events = Decided(Given(Planned), command);

        Assert.Empty(Assert.IsType<RoundReplanned>(events[0]).Stops);
        Assert.Equal(new RoundCancelled(Id, Ana, "nothing left to do", T0.AddMinutes(1)), events[1]);
    }

    [Fact]
    public void GivenAFailedDelivery_WhenReplanRoundAddsTheLockerDeposit_ThenTheRoundCompletesOnlyOnceItIsDeposited()
    {
        RoundEvent[] history =
        [
            .. PickedUpBoth, Done(Deposit, ToLocker, TaskKind.Deposit, 12), new StopCompleted(Id, "b", T0),
            new StopFailed(Id, "c", ToHome, Said("away"), T0.AddHours(1)), new StopCompleted(Id, "c", T0.AddHours(1)),
        ];
        Assert.IsType<Round.Active>(Given(history).State);
        var redirect = new RoundStop("f", Deposit.Place, [new(ToHome, TaskKind.Deposit, ParcelSize.M, 5)], null, T0.AddHours(1.2));
        var replanned = Assert.IsType<RoundReplanned>(Assert.Single(Decided(Given(history), new ReplanRound([redirect], 5, T0.AddHours(1)))));

        var spec = Given([.. history, replanned]).When(new RecordParcelDone(ToHome, TaskKind.Deposit, Ana, T0.AddHours(1.3)));

        Assert.IsType<Round.Completed>(spec.ThenState());
    }

    // Replanned events hold fresh lists, which records compare by reference: these tests look inside instead.
    private static RoundEvent[] Decided(DeciderSpec<Round, RoundCommand, RoundEvent> given, RoundCommand command) =>
        RoundDecider.Decide(command, given.State);
}
