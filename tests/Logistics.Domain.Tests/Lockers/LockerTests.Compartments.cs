using Logistics.Domain.Lockers;

namespace Logistics.Domain.Tests.Lockers;

// OccupyCompartment, ReleaseCompartment, CancelReservation, TakeOutOfService, ReturnToService.
public partial class LockerTests
{
    [Fact]
    public void GivenReserved_WhenOccupyCompartment_ThenOccupied() =>
        Given(Registered(), Reserved(3, P1)).When(new OccupyCompartment(3, P1, At(20))).Then(Occupied(3, P1));

    [Fact]
    public void GivenFree_WhenOccupyCompartmentWithoutReservation_ThenOccupied() =>
        Given(Registered()).When(new OccupyCompartment(3, P1, At(20))).Then(Occupied(3, P1));

    [Fact]
    public void GivenReservedElsewhere_WhenOccupyAnotherFreeCompartment_ThenTheReservationIsGivenBack() =>
        Given(Registered(), Reserved(3, P1))
            .When(new OccupyCompartment(4, P1, At(20)))
            .Then(new ReservationCancelled(Id, 3, P1, At(20)), Occupied(4, P1));

    [Fact]
    public void GivenOccupied_WhenOccupyCompartmentAgain_ThenNothingHappens() =>
        Given(Registered(), Reserved(3, P1), Occupied(3, P1)).When(new OccupyCompartment(3, P1, At(21))).Then();

    [Fact]
    public void GivenReservedForAnotherParcel_WhenOccupyCompartment_ThenRefused() =>
        Given(Registered(), Reserved(3, P2)).When(new OccupyCompartment(3, P1, At(20))).ThenRefused("locker.compartment-taken");

    [Fact]
    public void GivenOutOfService_WhenOccupyCompartment_ThenRefused() =>
        Given(Registered(), new CompartmentTakenOutOfService(Id, 3, "lock stuck", At(1)))
            .When(new OccupyCompartment(3, P1, At(20)))
            .ThenRefused("locker.compartment-out-of-service");

    [Fact]
    public void GivenParcelAlreadyInAnotherCompartment_WhenOccupyCompartment_ThenRefused() =>
        Given(Registered(), Occupied(3, P1)).When(new OccupyCompartment(4, P1, At(20))).ThenRefused("locker.parcel-elsewhere");

    [Fact]
    public void GivenUnknownCompartment_WhenOccupyCompartment_ThenRefused() =>
        Given(Registered()).When(new OccupyCompartment(99, P1, At(20))).ThenRefused("locker.unknown-compartment");

    [Fact]
    public void GivenOccupied_WhenReleaseCompartment_ThenFreed()
    {
        var spec = Given(Registered(), Reserved(3, P1), Occupied(3, P1)).When(new ReleaseCompartment(3, P1, At(30)));

        spec.Then(new CompartmentFreed(Id, 3, P1, At(30)));
        Assert.True(Assert.IsType<Locker.Registered>(spec.ThenState()).Compartments[3].IsFree);
    }

    [Fact]
    public void GivenFree_WhenReleaseCompartment_ThenNothingHappens() =>
        Given(Registered()).When(new ReleaseCompartment(3, P1, At(30))).Then();

    [Fact]
    public void GivenOccupiedByAnotherParcel_WhenReleaseCompartment_ThenRefused() =>
        Given(Registered(), Occupied(3, P2)).When(new ReleaseCompartment(3, P1, At(30))).ThenRefused("locker.compartment-holds-other-parcel");

    [Fact]
    public void GivenReserved_WhenCancelReservation_ThenReservationCancelled() =>
        Given(Registered(), Reserved(3, P1)).When(new CancelReservation(P1, At(30))).Then(new ReservationCancelled(Id, 3, P1, At(30)));

    [Fact]
    public void GivenNoReservation_WhenCancelReservation_ThenNothingHappens() =>
        Given(Registered()).When(new CancelReservation(P1, At(30))).Then();

    [Fact]
    public void GivenOccupied_WhenCancelReservation_ThenRefused() =>
        Given(Registered(), Occupied(3, P1)).When(new CancelReservation(P1, At(30))).ThenRefused("locker.compartment-occupied");

    [Fact]
    public void GivenFree_WhenTakeOutOfService_ThenOutOfService()
    {
        var spec = Given(Registered()).When(new TakeOutOfService(5, "door hinge broken", At(40)));

        spec.Then(new CompartmentTakenOutOfService(Id, 5, "door hinge broken", At(40)));
        Assert.Equal(new CompartmentStatus.OutOfService("door hinge broken"), Assert.IsType<Locker.Registered>(spec.ThenState()).Compartments[5].Status);
    }

    [Fact]
    public void GivenOutOfService_WhenTakeOutOfServiceAgain_ThenNothingHappens() =>
        Given(Registered(), new CompartmentTakenOutOfService(Id, 5, "broken", At(40))).When(new TakeOutOfService(5, "broken", At(41))).Then();

    [Fact]
    public void GivenOccupied_WhenTakeOutOfService_ThenRefused() =>
        Given(Registered(), Occupied(5, P1)).When(new TakeOutOfService(5, "broken", At(40))).ThenRefused("locker.compartment-in-use");

    [Fact]
    public void GivenOutOfService_WhenReturnToService_ThenFreeAgain() =>
        Given(Registered(), new CompartmentTakenOutOfService(Id, 5, "broken", At(40)))
            .When(new ReturnToService(5, At(50)))
            .Then(new CompartmentReturnedToService(Id, 5, At(50)));

    [Fact]
    public void GivenInService_WhenReturnToService_ThenNothingHappens() =>
        Given(Registered()).When(new ReturnToService(5, At(50))).Then();

    [Fact]
    public void GivenUnknownCompartment_WhenReturnToService_ThenRefused() =>
        Given(Registered()).When(new ReturnToService(42, At(50))).ThenRefused("locker.unknown-compartment");
}
