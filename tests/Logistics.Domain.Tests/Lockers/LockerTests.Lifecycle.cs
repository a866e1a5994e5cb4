using Logistics.Domain.Lockers;

namespace Logistics.Domain.Tests.Lockers;

public partial class LockerTests
{
    [Fact]
    public void GivenADepositAndACollection_WhenReplayed_ThenFoldGivesTheSameStateWithTheCompartmentFreeAgain()
    {
        LockerCommand[] commands =
        [
            new RegisterLocker(Id, "Les Halles", Location, "Place Gaston Pailhou, Tours", Layout, T0),
            new ReportOnline(At(1)),
            new ReserveCompartment(P1, ParcelSize.M, false, At(2)),
            new ReportDoorOpened(3, true, At(3)),
            new OccupyCompartment(3, P1, At(4)),
            new ReportDoorClosed(3, At(4)),
            new ReportOffline(At(30)),
            new ReportDoorOpened(3, true, At(31)),
            new ReportDoorClosed(3, At(32)),
            new ReleaseCompartment(3, P1, At(32)),
            new ReportOnline(At(40)),
        ];
        var state = Locker.Initial;
        var history = new List<LockerEvent>();
        foreach (var command in commands)
        {
            var events = LockerDecider.Decide(command, state);
            history.AddRange(events);
            state = events.Aggregate(state, Locker.Evolve);
        }

        var folded = Assert.IsType<Locker.Registered>(Locker.Fold(history));
        var final = Assert.IsType<Locker.Registered>(state);
        Assert.Equal(final.Compartments.Values, folded.Compartments.Values);
        Assert.True(folded.Compartments[3].IsFree);
        Assert.False(folded.Compartments[3].DoorOpen);
        Assert.True(folded.Online);
        Assert.Empty(folded.Alarms);
        Assert.Equal(At(40), folded.LastSeenAt);
        Assert.Equal(2, history.OfType<AlarmRaised>().Count() + history.OfType<AlarmCleared>().Count());
    }
}
