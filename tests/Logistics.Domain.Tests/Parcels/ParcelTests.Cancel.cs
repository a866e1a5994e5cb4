using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static readonly DateTimeOffset CancelledAt = T0.AddMinutes(45);

    private static Cancel CancelBy(ShopId shop) => new(shop, "customer changed their mind", CancelledAt);

    [Fact]
    public void GivenRegistered_WhenCancel_ThenCancelled() =>
        Given(Registered()).When(CancelBy(Shop)).Then(new ParcelCancelled(Id, Shop, Said("customer changed their mind"), null, null, CancelledAt));

    [Fact]
    public void GivenDroppedAtLocker_WhenCancel_ThenCancelledNamingTheCompartmentToFree() =>
        Given(Registered(), DroppedAtLocker())
            .When(CancelBy(Shop))
            .Then(new ParcelCancelled(Id, Shop, Said("customer changed their mind"), DropLocker, 4, CancelledAt));

    [Fact]
    public void GivenRegistered_WhenCancelByAnotherShop_ThenRefused() =>
        Given(Registered()).When(CancelBy(OtherShop)).ThenRefused("parcel.not-owner");

    [Fact]
    public void GivenCancelled_WhenCancel_ThenNothingHappens() =>
        Given(Registered(), new ParcelCancelled(Id, Shop, Said("oops"), null, null, CancelledAt)).When(CancelBy(Shop)).Then();

    [Fact]
    public void GivenPickedUp_WhenCancel_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(CancelBy(Shop)).ThenRefused("parcel.in-transit");

    [Fact]
    public void GivenCollected_WhenCancel_ThenRefusedNamingWhenItWasCollected()
    {
        var collected = new ParcelCollected(Id, Locker, 7, null, new DateTimeOffset(2026, 3, 3, 14, 2, 0, TimeSpan.Zero));

        var refusal = Given([.. InLocker(), collected]).When(CancelBy(Shop)).ThenRefused("parcel.already-collected");

        Assert.Equal("Parcel LG-7K3M9QX2 was collected at 2026-03-03 14:02; it cannot be cancelled.", refusal.Message);
    }

    [Fact]
    public void GivenNothing_WhenCancel_ThenRefused() =>
        Given().When(CancelBy(Shop)).ThenRefused("parcel.not-registered");
}
