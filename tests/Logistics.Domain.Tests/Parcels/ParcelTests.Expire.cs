using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    [Fact]
    public void GivenAwaitingCollection_WhenExpireAtTheDeadline_ThenExpiredInItsCompartment() =>
        Given(InLocker()).When(new Expire(CollectBy)).Then(Expired());

    [Fact]
    public void GivenAtRelay_WhenExpire_ThenExpiredAtTheRelayShop() =>
        Given(Registered(ToRelay), PickedUpAtShop(), DepositedAtRelay())
            .When(new Expire(CollectBy))
            .Then(new ParcelExpired(Id, null, null, RelayShop, CollectBy));

    [Fact]
    public void GivenAwaitingCollection_WhenExpireBeforeTheDeadline_ThenRefused() =>
        Given(InLocker()).When(new Expire(CollectBy.AddSeconds(-1))).ThenRefused("parcel.not-due");

    [Fact]
    public void GivenDeadlineExtended_WhenExpireAtTheOldDeadline_ThenRefused() =>
        Given([.. InLocker(), new CollectionDeadlineExtended(Id, CollectBy, CollectBy.AddDays(1), RemindAt)])
            .When(new Expire(CollectBy))
            .ThenRefused("parcel.not-due");

    [Fact]
    public void GivenExpired_WhenExpireAgain_ThenNothingHappens() =>
        Given([.. InLocker(), Expired()]).When(new Expire(CollectBy.AddHours(1))).Then();

    [Fact]
    public void GivenCollected_WhenExpire_ThenRefused() =>
        Given([.. InLocker(), new ParcelCollected(Id, Locker, 7, null, DepositedAt.AddHours(1))])
            .When(new Expire(CollectBy))
            .ThenRefused("parcel.already-collected");
}
