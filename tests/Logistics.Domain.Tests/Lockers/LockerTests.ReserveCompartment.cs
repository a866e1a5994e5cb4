using Logistics.Domain.Lockers;

namespace Logistics.Domain.Tests.Lockers;

public partial class LockerTests
{
    private static ReserveCompartment Reserve(ParcelId parcel, ParcelSize size, bool preferLowHeight = false) =>
        new(parcel, size, preferLowHeight, At(10));

    [Fact]
    public void GivenAllFree_WhenReserveCompartmentForS_ThenTheLowestNumberedS() =>
        Given(Registered()).When(Reserve(P1, ParcelSize.S)).Then(new CompartmentReserved(Id, 1, P1, ParcelSize.S, At(10)));

    [Fact]
    public void GivenAllFree_WhenReserveCompartmentPreferringLowHeight_ThenTheLowHeightOneOfTheSmallestSize() =>
        Given(Registered()).When(Reserve(P1, ParcelSize.M, preferLowHeight: true)).Then(new CompartmentReserved(Id, 4, P1, ParcelSize.M, At(10)));

    [Fact]
    public void GivenAllSmallTaken_WhenReserveCompartmentForS_ThenTheSmallestLargerOne() =>
        Given(Registered(), Reserved(1, P2), Reserved(2, new ParcelId("p-3")))
            .When(Reserve(P1, ParcelSize.S))
            .Then(new CompartmentReserved(Id, 3, P1, ParcelSize.S, At(10)));

    [Fact]
    public void GivenOutOfServiceCompartment_WhenReserveCompartment_ThenItIsSkipped() =>
        Given(Registered(), new CompartmentTakenOutOfService(Id, 5, "hinge broken", At(1)))
            .When(Reserve(P1, ParcelSize.L))
            .Then(new CompartmentReserved(Id, 6, P1, ParcelSize.L, At(10)));

    [Fact]
    public void GivenReservedForTheParcel_WhenReserveCompartmentAgain_ThenNothingHappensAndTheNumberIsInTheState()
    {
        var spec = Given(Registered(), Reserved(3, P1, ParcelSize.M)).When(Reserve(P1, ParcelSize.M));

        spec.Then();
        Assert.Equal(3, Assert.IsType<Locker.Registered>(spec.State).CompartmentOf(P1)?.Number);
    }

    [Fact]
    public void GivenOccupiedByTheParcel_WhenReserveCompartment_ThenNothingHappens() =>
        Given(Registered(), Reserved(3, P1, ParcelSize.M), Occupied(3, P1)).When(Reserve(P1, ParcelSize.M)).Then();

    [Fact]
    public void GivenReservedTooSmallForTheParcel_WhenReserveCompartmentForALargerSize_ThenRefused() =>
        Given(Registered(), Reserved(1, P1)).When(Reserve(P1, ParcelSize.L)).ThenRefused("locker.parcel-elsewhere");

    [Fact]
    public void GivenNoLargeCompartmentFree_WhenReserveCompartmentForL_ThenRefusedNamingTheSize()
    {
        var refusal = Given(Registered(), Reserved(5, P2, ParcelSize.L), Reserved(6, new ParcelId("p-3"), ParcelSize.L))
            .When(Reserve(P1, ParcelSize.L))
            .ThenRefused("locker.no-free-compartment");

        Assert.Contains("no free compartment of size L or larger", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTwoCouriersReserving_WhenDecidedOneAfterTheOther_ThenTheyGetDifferentCompartments()
    {
        var first = LockerDecider.Decide(Reserve(P1, ParcelSize.S), State(Registered()));
        var second = LockerDecider.Decide(Reserve(P2, ParcelSize.S), State([Registered(), .. first]));

        Assert.NotEqual(
            Assert.IsType<CompartmentReserved>(Assert.Single(first)).Compartment,
            Assert.IsType<CompartmentReserved>(Assert.Single(second)).Compartment);
    }
}
