using Logistics.Domain.Lockers;

namespace Logistics.Domain.Tests.Lockers;

public partial class LockerTests
{
    private static readonly DateTimeOffset CollectedAt = At(30);

    [Fact]
    public void GivenOccupied_WhenReleaseAfterDoorCycle_ThenEmptyingUntilTheDoorHasOpenedAndClosed() =>
        Given(Registered(), Reserved(1, P1), Occupied(1, P1))
            .When(new ReleaseAfterDoorCycle(1, P1, CollectedAt, At(31)))
            .Then(new CompartmentEmptying(Id, 1, P1, At(31)));

    [Fact]
    public void GivenEmptying_WhenTheDoorOpensThenCloses_ThenTheCompartmentIsFree()
    {
        var history = new LockerEvent[] { Registered(), Reserved(1, P1), Occupied(1, P1), new CompartmentEmptying(Id, 1, P1, At(31)), new DoorOpened(Id, 1, true, At(32)) };

        var spec = Given(history).When(new ReportDoorClosed(1, At(33)));

        spec.Then(new DoorClosed(Id, 1, At(33)), new CompartmentFreed(Id, 1, P1, At(33), "collected: the door opened and closed"));
        Assert.True(spec.ThenState() is Locker.Registered s && s.Compartments[1].IsFree);
    }

    [Fact]
    public void GivenTheDoorAlreadyOpenedAndClosedAfterTheCollection_WhenReleaseAfterDoorCycle_ThenFreedAtOnce() =>
        Given(Registered(), Reserved(1, P1), Occupied(1, P1), new DoorOpened(Id, 1, true, At(31)), new DoorClosed(Id, 1, At(32)))
            .When(new ReleaseAfterDoorCycle(1, P1, CollectedAt, At(40)))
            .Then(new CompartmentFreed(Id, 1, P1, At(40), "collected: the door opened and closed"));

    [Fact]
    public void GivenTheDoorClosedBeforeTheCollection_WhenReleaseAfterDoorCycle_ThenStillEmptying() =>
        Given(Registered(), Reserved(1, P1), Occupied(1, P1), new DoorOpened(Id, 1, true, At(21)), new DoorClosed(Id, 1, At(22)))
            .When(new ReleaseAfterDoorCycle(1, P1, CollectedAt, At(40)))
            .Then(new CompartmentEmptying(Id, 1, P1, At(40)));

    [Fact]
    public void GivenEmptying_WhenReleaseAfterDoorCycleAgain_ThenNothingHappens() =>
        Given(Registered(), Reserved(1, P1), Occupied(1, P1), new CompartmentEmptying(Id, 1, P1, At(31)))
            .When(new ReleaseAfterDoorCycle(1, P1, CollectedAt, At(35)))
            .Then();

    [Fact]
    public void GivenEmptying_WhenAnotherParcelIsReserved_ThenTheCompartmentIsNotGiven()
    {
        var history = new LockerEvent[] { Registered(), Reserved(1, P1), Occupied(1, P1), new CompartmentEmptying(Id, 1, P1, At(31)) };

        var reserved = Given(history).When(new ReserveCompartment(P2, ParcelSize.S, false, At(35))).ThenState();

        Assert.Equal(2, ((Locker.Registered)reserved).CompartmentOf(P2)!.Number);
    }

    [Fact]
    public void GivenTheParcelLyingInAnotherCompartment_WhenReleaseAfterDoorCycle_ThenRefused() =>
        Given(Registered(), Reserved(1, P2), Occupied(1, P2), Reserved(2, P1), Occupied(2, P1))
            .When(new ReleaseAfterDoorCycle(1, P1, CollectedAt, At(35)))
            .ThenRefused("locker.compartment-holds-other-parcel");

    /// <summary>
    /// The collection's follow-up taken again (its batch is handled again after another parcel's step failed) once the
    /// door cycle freed the compartment and the next parcel took it: nothing to free, and nothing refused (the
    /// federation day recorded these as process failures for the operator).
    /// </summary>
    [Fact]
    public void GivenTheParcelFreedAndTheCompartmentTakenAgain_WhenReleaseAfterDoorCycle_ThenNothingHappens() =>
        Given(
                Registered(), Reserved(1, P1), Occupied(1, P1), new CompartmentEmptying(Id, 1, P1, At(31)), new DoorOpened(Id, 1, true, At(32)),
                new DoorClosed(Id, 1, At(33)), new CompartmentFreed(Id, 1, P1, At(33), "collected: the door opened and closed"), Reserved(1, P2), Occupied(1, P2))
            .When(new ReleaseAfterDoorCycle(1, P1, CollectedAt, At(40)))
            .Then();
}
