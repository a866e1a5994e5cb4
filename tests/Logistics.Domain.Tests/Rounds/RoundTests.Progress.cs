using Logistics.Domain.Rounds;

namespace Logistics.Domain.Tests.Rounds;

public partial class RoundTests
{
    [Fact]
    public void GivenPlanned_WhenRecordParcelDone_ThenMarkedAtItsStop() =>
        Given(Planned).When(new RecordParcelDone(ToLocker, TaskKind.PickUp, Ana, T0.AddMinutes(5))).Then(Done(Pickup, ToLocker, TaskKind.PickUp, 5));

    [Fact]
    public void GivenOneOfTwoPickedUp_WhenRecordParcelDoneForTheOther_ThenTheStopIsCompletedToo() =>
        Given(Planned, Done(Pickup, ToLocker, TaskKind.PickUp, 5))
            .When(new RecordParcelDone(ToHome, TaskKind.PickUp, Ana, T0.AddMinutes(6)))
            .Then(Done(Pickup, ToHome, TaskKind.PickUp, 6), new StopCompleted(Id, "a", T0.AddMinutes(6)));

    [Fact]
    public void GivenDone_WhenRecordParcelDoneAgain_ThenNothingHappens() =>
        Given(Planned, Done(Pickup, ToLocker, TaskKind.PickUp, 5)).When(new RecordParcelDone(ToLocker, TaskKind.PickUp, Ana, T0.AddMinutes(7))).Then();

    [Fact]
    public void GivenPlanned_WhenAnotherCourierRecordsAParcelDone_ThenRefused() =>
        Given(Planned).When(new RecordParcelDone(ToLocker, TaskKind.PickUp, Ben, T0.AddMinutes(5))).ThenRefused("round.not-your-round");

    [Fact]
    public void GivenPlanned_WhenRecordParcelDoneForAParcelNotInTheRound_ThenRefused() =>
        Given(Planned).When(new RecordParcelDone(Late, TaskKind.PickUp, Ana, T0.AddMinutes(5))).ThenRefused("round.parcel-not-planned");

    [Fact]
    public void GivenPlanned_WhenAnotherCourierCompletesAStop_ThenRefused() =>
        Given(Planned).When(new CompleteStop("a", Ben, T0.AddMinutes(5))).ThenRefused("round.not-your-round");

    [Fact]
    public void GivenStopDone_WhenCompleteStopAgain_ThenRefused() =>
        Given(PickedUpBoth).When(new CompleteStop("a", Ana, T0.AddMinutes(8))).ThenRefused("round.stop-already-done");

    [Fact]
    public void GivenPlanned_WhenCompleteAnUnknownStop_ThenRefused() =>
        Given(Planned).When(new CompleteStop("zz", Ana, T0)).ThenRefused("round.unknown-stop");

    [Fact]
    public void GivenEveryOtherStopDone_WhenTheLastParcelIsDelivered_ThenTheRoundIsCompleted()
    {
        var spec = Given([.. PickedUpBoth, Done(Deposit, ToLocker, TaskKind.Deposit, 12), new StopCompleted(Id, "b", T0.AddMinutes(12))])
            .When(new RecordParcelDone(ToHome, TaskKind.Deliver, Ana, T0.AddHours(1)));

        spec.Then(Done(Deliver, ToHome, TaskKind.Deliver, 60), new StopCompleted(Id, "c", T0.AddHours(1)), new RoundCompleted(Id, T0.AddHours(1)));
        Assert.IsType<Round.Completed>(spec.ThenState());
    }

    [Fact]
    public void GivenPickedUp_WhenRecordDeliveryFailed_ThenTheStopFailsButTheRoundGoesOn()
    {
        var spec = Given([.. PickedUpBoth, Done(Deposit, ToLocker, TaskKind.Deposit, 12), new StopCompleted(Id, "b", T0.AddMinutes(12))])
            .When(new RecordDeliveryFailed(ToHome, Ana, Said("nobody home"), T0.AddHours(1)));

        spec.Then(new StopFailed(Id, "c", ToHome, Said("nobody home"), T0.AddHours(1)), new StopCompleted(Id, "c", T0.AddHours(1)));
        Assert.IsType<Round.Active>(spec.ThenState());
    }

    [Fact]
    public void GivenPlanned_WhenRecordDeliveryFailedOfAPickup_ThenRefused() =>
        Given(Planned).When(new RecordDeliveryFailed(ToLocker, Ana, Said("?"), T0)).ThenRefused("round.parcel-not-planned");

    [Fact]
    public void GivenCompleted_WhenAParcelActionIsReportedAgain_ThenNothingHappens() =>
        Given([.. PickedUpBoth, Done(Deposit, ToLocker, TaskKind.Deposit, 12), new StopCompleted(Id, "b", T0), Done(Deliver, ToHome, TaskKind.Deliver, 60), new StopCompleted(Id, "c", T0), new RoundCompleted(Id, T0)])
            .When(new RecordParcelDone(ToHome, TaskKind.Deliver, Ana, T0.AddHours(2)))
            .Then();
}
