using Logistics.Domain.Rounds;

namespace Logistics.Domain.Tests.Rounds;

public partial class RoundTests
{
    [Fact]
    public void GivenNothing_WhenPlanRound_ThenPlannedWithEveryStopPending()
    {
        var spec = Given().When(new PlanRound(Id, Ana, Stops, 4.2, T0));

        spec.Then(Planned);
        var track = TrackAfter(spec);
        Assert.Equal(["a", "b", "c"], track.Stops.Select(s => s.Stop.StopId));
        Assert.All(track.Stops, s => Assert.False(s.Started));
    }

    [Fact]
    public void GivenNothing_WhenPlanRoundWithoutStops_ThenRefused() =>
        Given().When(new PlanRound(Id, Ana, [], 0, T0)).ThenRefused("round.no-stops");

    [Fact]
    public void GivenNothing_WhenPlanRoundWithAStopTwice_ThenRefused() =>
        Given().When(new PlanRound(Id, Ana, [Pickup, Deposit with { StopId = "a" }], 1, T0)).ThenRefused("round.duplicate-stop");

    [Fact]
    public void GivenNothing_WhenPlanRoundDepositingAtAShop_ThenRefused() =>
        Given().When(new PlanRound(Id, Ana, [Pickup, Deposit with { Place = Pickup.Place }], 1, T0)).ThenRefused("round.task-misplaced");

    [Fact]
    public void GivenNothing_WhenPlanRoundPickingUpAParcelTwice_ThenRefused() =>
        Given().When(new PlanRound(Id, Ana, [Pickup, Pickup with { StopId = "a2" }], 1, T0)).ThenRefused("round.duplicate-task");

    [Fact]
    public void GivenPlanned_WhenPlanRoundAgainFromTheSameRun_ThenNothingHappens() =>
        Given(Planned).When(new PlanRound(Id, Ana, Stops, 4.2, T0)).Then();

    [Fact]
    public void GivenPlanned_WhenPlanRoundAnew_ThenRefused() =>
        Given(Planned).When(new PlanRound(Id, Ana, Stops, 4.2, T0.AddHours(1))).ThenRefused("round.already-planned");

    [Fact]
    public void GivenNothing_WhenCompleteStop_ThenRefused() =>
        Given().When(new CompleteStop("a", Ana, T0)).ThenRefused("round.not-planned");

    [Fact]
    public void GivenPlanned_WhenCancelRound_ThenCancelledAndLaterCommandsRefused()
    {
        var cancelled = new RoundCancelled(Id, Ana, "shift ended", T0.AddHours(1));
        Given(Planned).When(new CancelRound("shift ended", T0.AddHours(1))).Then(cancelled);
        Given(Planned, cancelled).When(new CancelRound("again", T0.AddHours(2))).Then();
        Given(Planned, cancelled).When(new CompleteStop("a", Ana, T0.AddHours(2))).ThenRefused("round.cancelled");
    }
}
