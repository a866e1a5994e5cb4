using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static DropAtLocker Drop(int compartment = 4) => new(DropLocker, compartment, T0.AddMinutes(30));

    [Fact]
    public void GivenRegistered_WhenDropAtLocker_ThenDroppedByItsShop() =>
        Given(Registered()).When(Drop()).Then(DroppedAtLocker());

    [Fact]
    public void GivenDroppedAtLocker_WhenDropAtLockerAgain_ThenNothingHappens() =>
        Given(Registered(), DroppedAtLocker()).When(Drop()).Then();

    [Fact]
    public void GivenDroppedAtLocker_WhenDropAtLockerInAnotherCompartment_ThenRefused() =>
        Given(Registered(), DroppedAtLocker()).When(Drop(5)).ThenRefused("parcel.dropped-elsewhere");

    [Fact]
    public void GivenPickedUp_WhenDropAtLocker_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(Drop()).ThenRefused("parcel.in-transit");

    [Fact]
    public void GivenNothing_WhenDropAtLocker_ThenRefused() =>
        Given().When(Drop()).ThenRefused("parcel.not-registered");
}
