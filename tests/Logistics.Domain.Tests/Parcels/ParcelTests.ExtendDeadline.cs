using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static readonly DateTimeOffset AskedAt = RemindAt.AddHours(1);

    [Fact]
    public void GivenAwaitingCollection_WhenExtendDeadline_ThenDeadlineAndCodeExpiryMove()
    {
        var newCollectBy = CollectBy.AddDays(2);
        var spec = Given(InLocker()).When(new ExtendDeadline(newCollectBy, AskedAt));

        spec.Then(new CollectionDeadlineExtended(Id, CollectBy, newCollectBy, AskedAt));
        var state = Assert.IsType<Parcel.AwaitingCollection>(spec.ThenState());
        Assert.Equal(newCollectBy, state.CollectBy);
        Assert.Equal(newCollectBy, state.Code.ExpiresAt);
    }

    [Fact]
    public void GivenAwaitingCollection_WhenExtendDeadlineByExactlyTheMaximum_ThenExtended() =>
        Given(InLocker())
            .When(new ExtendDeadline(CollectBy + ParcelDecider.MaxExtension, AskedAt))
            .Then(new CollectionDeadlineExtended(Id, CollectBy, CollectBy + ParcelDecider.MaxExtension, AskedAt));

    [Fact]
    public void GivenAwaitingCollection_WhenExtendDeadlineBeyondTheMaximum_ThenRefused() =>
        Given(InLocker()).When(new ExtendDeadline(CollectBy.AddDays(3).AddMinutes(1), AskedAt)).ThenRefused("parcel.extension-too-long");

    [Fact]
    public void GivenAwaitingCollection_WhenExtendDeadlineToAnEarlierTime_ThenRefused() =>
        Given(InLocker()).When(new ExtendDeadline(CollectBy.AddHours(-1), AskedAt)).ThenRefused("parcel.extension-not-later");

    [Fact]
    public void GivenDeadlineExtended_WhenExtendDeadlineAgain_ThenRefused() =>
        Given([.. InLocker(), new CollectionDeadlineExtended(Id, CollectBy, CollectBy.AddDays(1), AskedAt)])
            .When(new ExtendDeadline(CollectBy.AddDays(2), AskedAt.AddHours(1)))
            .ThenRefused("parcel.deadline-already-extended");

    [Fact]
    public void GivenDeadlineExtended_WhenTheSameExtensionIsRetried_ThenNothingHappens() =>
        Given([.. InLocker(), new CollectionDeadlineExtended(Id, CollectBy, CollectBy.AddDays(1), AskedAt)])
            .When(new ExtendDeadline(CollectBy.AddDays(1), AskedAt.AddMinutes(1)))
            .Then();

    [Fact]
    public void GivenDeadlinePassed_WhenExtendDeadline_ThenRefused() =>
        Given(InLocker()).When(new ExtendDeadline(CollectBy.AddDays(1), CollectBy.AddMinutes(1))).ThenRefused("parcel.deadline-passed");

    [Fact]
    public void GivenExpired_WhenExtendDeadline_ThenRefused() =>
        Given([.. InLocker(), Expired()]).When(new ExtendDeadline(CollectBy.AddDays(1), CollectBy.AddMinutes(1))).ThenRefused("parcel.expired");
}
