using Logistics.Domain.Lockers;

namespace Logistics.Domain.Tests.Lockers;

// ReportDoorOpened, ReportDoorClosed, RaiseAlarm, ClearAlarm, ReportOnline, ReportOffline.
public partial class LockerTests
{
    [Fact]
    public void GivenClosedDoor_WhenReportDoorOpenedAfterUnlock_ThenDoorOpened()
    {
        var spec = Given(Registered()).When(new ReportDoorOpened(3, Unlocked: true, At(5)));

        spec.Then(new DoorOpened(Id, 3, true, At(5)));
        Assert.True(Assert.IsType<Locker.Registered>(spec.ThenState()).Compartments[3].DoorOpen);
    }

    [Fact]
    public void GivenClosedDoor_WhenReportDoorOpenedWithoutUnlock_ThenForcedOpenAlarm()
    {
        var spec = Given(Registered()).When(new ReportDoorOpened(3, Unlocked: false, At(5)));

        spec.Then(new DoorOpened(Id, 3, false, At(5)), new AlarmRaised(Id, AlarmKind.ForcedOpen, 3, At(5)));
        Assert.True(Assert.IsType<Locker.Registered>(spec.ThenState()).HasAlarm(AlarmKind.ForcedOpen, 3));
    }

    [Fact]
    public void GivenOpenDoor_WhenReportDoorOpenedAgain_ThenNothingHappens() =>
        Given(Registered(), new DoorOpened(Id, 3, true, At(5))).When(new ReportDoorOpened(3, true, At(6))).Then();

    [Fact]
    public void GivenUnknownCompartment_WhenReportDoorOpened_ThenRefused() =>
        Given(Registered()).When(new ReportDoorOpened(77, true, At(5))).ThenRefused("locker.unknown-compartment");

    [Fact]
    public void GivenOpenDoor_WhenReportDoorClosed_ThenDoorClosed() =>
        Given(Registered(), new DoorOpened(Id, 3, true, At(5))).When(new ReportDoorClosed(3, At(6))).Then(new DoorClosed(Id, 3, At(6)));

    [Fact]
    public void GivenDoorLeftOpenAlarm_WhenReportDoorClosed_ThenTheAlarmClears() =>
        Given(Registered(), new DoorOpened(Id, 3, true, At(5)), new AlarmRaised(Id, AlarmKind.DoorLeftOpen, 3, At(8)))
            .When(new ReportDoorClosed(3, At(9)))
            .Then(new DoorClosed(Id, 3, At(9)), new AlarmCleared(Id, AlarmKind.DoorLeftOpen, 3, At(9)));

    [Fact]
    public void GivenClosedDoor_WhenReportDoorClosed_ThenNothingHappens() =>
        Given(Registered()).When(new ReportDoorClosed(3, At(6))).Then();

    [Fact]
    public void GivenNoAlarm_WhenRaiseAlarm_ThenAlarmRaised()
    {
        var spec = Given(Registered()).When(new RaiseAlarm(AlarmKind.LockStuck, 4, At(7)));

        spec.Then(new AlarmRaised(Id, AlarmKind.LockStuck, 4, At(7)));
        Assert.Equal(new LockerAlarm(AlarmKind.LockStuck, 4, At(7)), Assert.Single(Assert.IsType<Locker.Registered>(spec.ThenState()).Alarms));
    }

    [Fact]
    public void GivenAlarmActive_WhenRaiseAlarmAgain_ThenNothingHappens() =>
        Given(Registered(), new AlarmRaised(Id, AlarmKind.LockStuck, 4, At(7))).When(new RaiseAlarm(AlarmKind.LockStuck, 4, At(8))).Then();

    [Fact]
    public void GivenUnknownCompartment_WhenRaiseAlarm_ThenRefused() =>
        Given(Registered()).When(new RaiseAlarm(AlarmKind.LockStuck, 40, At(7))).ThenRefused("locker.unknown-compartment");

    [Fact]
    public void GivenAlarmActive_WhenClearAlarm_ThenAlarmCleared()
    {
        var spec = Given(Registered(), new AlarmRaised(Id, AlarmKind.LockStuck, 4, At(7))).When(new ClearAlarm(AlarmKind.LockStuck, 4, At(9)));

        spec.Then(new AlarmCleared(Id, AlarmKind.LockStuck, 4, At(9)));
        Assert.Empty(Assert.IsType<Locker.Registered>(spec.ThenState()).Alarms);
    }

    [Fact]
    public void GivenNoAlarm_WhenClearAlarm_ThenNothingHappens() =>
        Given(Registered()).When(new ClearAlarm(AlarmKind.LockStuck, 4, At(9))).Then();

    [Fact]
    public void GivenNeverHeardFrom_WhenReportOnline_ThenOnline() =>
        Given(Registered()).When(new ReportOnline(At(1))).Then(new LockerWentOnline(Id, At(1)));

    [Fact]
    public void GivenOnline_WhenReportOffline_ThenOfflineWithControllerOfflineAlarm() =>
        Given(Registered(), new LockerWentOnline(Id, At(1)))
            .When(new ReportOffline(At(60)))
            .Then(new LockerWentOffline(Id, At(60)), new AlarmRaised(Id, AlarmKind.ControllerOffline, null, At(60)));

    [Fact]
    public void GivenOfflineWithAlarm_WhenReportOnline_ThenOnlineAndTheAlarmClears() =>
        Given(Registered(), new LockerWentOnline(Id, At(1)), new LockerWentOffline(Id, At(60)), new AlarmRaised(Id, AlarmKind.ControllerOffline, null, At(60)))
            .When(new ReportOnline(At(70)))
            .Then(new LockerWentOnline(Id, At(70)), new AlarmCleared(Id, AlarmKind.ControllerOffline, null, At(70)));

    [Fact]
    public void GivenOnline_WhenReportOnlineAgain_ThenNothingHappens() =>
        Given(Registered(), new LockerWentOnline(Id, At(1))).When(new ReportOnline(At(2))).Then();

    [Fact]
    public void GivenOffline_WhenReportOfflineAgain_ThenNothingHappens() =>
        Given(Registered()).When(new ReportOffline(At(2))).Then();
}
