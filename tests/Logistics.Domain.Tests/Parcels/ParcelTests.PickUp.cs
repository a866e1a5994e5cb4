using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static PickUp PickUpBy(CourierId courier, DateTimeOffset? at = null) => new(courier, at ?? T0.AddHours(1));

    [Fact]
    public void GivenRegistered_WhenPickUp_ThenPickedUpAtItsShop() =>
        Given(Registered()).When(PickUpBy(Courier)).Then(PickedUpAtShop());

    [Fact]
    public void GivenDroppedAtLocker_WhenPickUp_ThenPickedUpFromTheDropCompartment() =>
        Given(Registered(), DroppedAtLocker())
            .When(PickUpBy(Courier))
            .Then(new ParcelPickedUp(Id, Courier, null, DropLocker, 4, false, T0.AddHours(1)));

    [Fact]
    public void GivenPickedUp_WhenPickUpBySameCourier_ThenNothingHappens() =>
        Given(Registered(), PickedUpAtShop()).When(PickUpBy(Courier, T0.AddHours(2))).Then();

    [Fact]
    public void GivenPickedUp_WhenPickUpByAnotherCourier_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(PickUpBy(OtherCourier)).ThenRefused("parcel.held-by-other-courier");

    [Fact]
    public void GivenExpiredInLocker_WhenPickUp_ThenPickedUpForReturnFromItsCompartment() =>
        Given([.. InLocker(), Expired()])
            .When(PickUpBy(Courier, CollectBy.AddHours(2)))
            .Then(PickedUpForReturn());

    [Fact]
    public void GivenExpiredAtRelayShop_WhenPickUp_ThenPickedUpForReturnFromTheRelayShop() =>
        Given(Registered(ToRelay), PickedUpAtShop(), DepositedAtRelay(), new ParcelExpired(Id, null, null, RelayShop, CollectBy))
            .When(PickUpBy(OtherCourier, CollectBy.AddHours(1)))
            .Then(new ParcelPickedUp(Id, OtherCourier, RelayShop, null, null, true, CollectBy.AddHours(1)));

    [Fact]
    public void GivenAwaitingCollection_WhenPickUp_ThenRefused() =>
        Given(InLocker()).When(PickUpBy(Courier)).ThenRefused("parcel.awaiting-collection");

    [Fact]
    public void GivenCancelled_WhenPickUp_ThenRefused() =>
        Given(Registered(), new ParcelCancelled(Id, Shop, Said("oops"), null, null, T0.AddMinutes(5)))
            .When(PickUpBy(Courier))
            .ThenRefused("parcel.cancelled");
}
