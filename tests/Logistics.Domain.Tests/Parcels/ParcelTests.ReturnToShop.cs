using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static readonly DateTimeOffset ReturnedAt = CollectBy.AddHours(4);

    [Fact]
    public void GivenPickedUpForReturn_WhenReturnToShop_ThenReturnedToItsShop() =>
        Given([.. InLocker(), Expired(), PickedUpForReturn()])
            .When(new ReturnToShop(ReturnedAt))
            .Then(new ParcelReturned(Id, Shop, Courier, ReturnedAt));

    [Fact]
    public void GivenReturned_WhenReturnToShopAgain_ThenNothingHappens() =>
        Given([.. InLocker(), Expired(), PickedUpForReturn(), new ParcelReturned(Id, Shop, Courier, ReturnedAt)])
            .When(new ReturnToShop(ReturnedAt.AddMinutes(1)))
            .Then();

    [Fact]
    public void GivenPickedUpForDelivery_WhenReturnToShop_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(new ReturnToShop(ReturnedAt)).ThenRefused("parcel.in-transit");

    [Fact]
    public void GivenExpiredNotYetPickedUp_WhenReturnToShop_ThenRefused() =>
        Given([.. InLocker(), Expired()]).When(new ReturnToShop(ReturnedAt)).ThenRefused("parcel.expired");
}
