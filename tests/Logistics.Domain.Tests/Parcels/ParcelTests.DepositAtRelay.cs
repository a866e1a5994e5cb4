using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static DepositAtRelay DepositAt(ShopId relay) => new(relay, CodeHash, CollectBy, RemindAt, CollectBy, DepositedAt);

    [Fact]
    public void GivenPickedUpForRelay_WhenDepositAtRelay_ThenAwaitingCollectionAtTheRelayShop()
    {
        var spec = Given(Registered(ToRelay), PickedUpAtShop()).When(DepositAt(RelayShop));

        spec.Then(DepositedAtRelay());
        Assert.Equal(new CollectionPoint.AtRelayShop(RelayShop), Assert.IsType<Parcel.AwaitingCollection>(spec.ThenState()).Point);
    }

    [Fact]
    public void GivenAtRelay_WhenDepositAtRelayAgain_ThenNothingHappens() =>
        Given(Registered(ToRelay), PickedUpAtShop(), DepositedAtRelay()).When(DepositAt(RelayShop)).Then();

    [Fact]
    public void GivenPickedUpForRelay_WhenDepositAtAnotherShop_ThenRefused() =>
        Given(Registered(ToRelay), PickedUpAtShop()).When(DepositAt(OtherShop)).ThenRefused("parcel.not-its-destination");

    [Fact]
    public void GivenPickedUpForLocker_WhenDepositAtRelay_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(DepositAt(RelayShop)).ThenRefused("parcel.not-its-destination");

    [Fact]
    public void GivenRegistered_WhenDepositAtRelay_ThenRefused() =>
        Given(Registered(ToRelay)).When(DepositAt(RelayShop)).ThenRefused("parcel.awaiting-pickup");
}
