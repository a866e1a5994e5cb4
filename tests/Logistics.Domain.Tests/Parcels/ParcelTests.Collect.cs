using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static readonly DateTimeOffset CollectedAt = DepositedAt.AddHours(5);

    [Fact]
    public void GivenAwaitingCollection_WhenCollect_ThenCollectedFromItsCompartment() =>
        Given(InLocker()).When(new Collect(CollectedAt)).Then(new ParcelCollected(Id, Locker, 7, null, CollectedAt));

    [Fact]
    public void GivenAtRelay_WhenCollect_ThenCollectedAtTheRelayShop() =>
        Given(Registered(ToRelay), PickedUpAtShop(), DepositedAtRelay())
            .When(new Collect(CollectedAt))
            .Then(new ParcelCollected(Id, null, null, RelayShop, CollectedAt));

    [Fact]
    public void GivenAwaitingCollection_WhenCollectReportedLaterByAnOfflineLocker_ThenCollectedAtTheTimeItHappened() =>
        Given(InLocker())
            .When(new Collect(CollectBy.AddHours(4), CollectedAt))
            .Then(new ParcelCollected(Id, Locker, 7, null, CollectedAt));

    [Fact]
    public void GivenAwaitingCollection_WhenCollectedAtIsAfterNow_ThenRefused() =>
        Given(InLocker()).When(new Collect(CollectedAt, CollectedAt.AddMinutes(1))).ThenRefused("parcel.collected-in-future");

    [Fact]
    public void GivenCollected_WhenCollectAgain_ThenNothingHappens() =>
        Given([.. InLocker(), new ParcelCollected(Id, Locker, 7, null, CollectedAt)]).When(new Collect(CollectedAt.AddMinutes(1))).Then();

    [Fact]
    public void GivenCodeBlocked_WhenCollect_ThenRefused() =>
        Given([.. InLocker(), WrongCode(1), WrongCode(2), WrongCode(3), WrongCode(4), WrongCode(5), new PickupCodeBlocked(Id, 5, DepositedAt.AddHours(5))])
            .When(new Collect(DepositedAt.AddHours(6)))
            .ThenRefused("parcel.code-blocked");

    [Fact]
    public void GivenCodeExpired_WhenCollect_ThenRefused() =>
        Given(Registered(), PickedUpAtShop(), Deposited() with { CodeExpiresAt = DepositedAt.AddHours(1) })
            .When(new Collect(DepositedAt.AddHours(2)))
            .ThenRefused("parcel.code-expired");

    [Fact]
    public void GivenDeadlinePassedButNotYetExpired_WhenCollect_ThenRefused() =>
        Given(Registered(), PickedUpAtShop(), Deposited() with { CodeExpiresAt = CollectBy.AddDays(1) })
            .When(new Collect(CollectBy.AddMinutes(1)))
            .ThenRefused("parcel.collection-deadline-passed");

    [Fact]
    public void GivenExpired_WhenCollect_ThenRefused() =>
        Given([.. InLocker(), Expired()]).When(new Collect(CollectBy.AddMinutes(5))).ThenRefused("parcel.expired");

    [Fact]
    public void GivenPickedUp_WhenCollect_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(new Collect(CollectedAt)).ThenRefused("parcel.in-transit");
}
