using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static readonly LockerId HomeBox = new("homebox-dubois");

    private static Destination ToHomeBox => new Destination.ToHomeBox(HomeBox);

    private static ParcelDepositedInHomeBox DepositedInHomeBox() => new(Id, Courier, HomeBox, 1, DepositedAt);

    [Fact]
    public void GivenPickedUpForHomeBox_WhenDepositInHomeBox_ThenInTheBoxWithNoCode()
    {
        var spec = Given(Registered(ToHomeBox), PickedUpAtShop()).When(new DepositInHomeBox(HomeBox, 1, DepositedAt));

        spec.Then(DepositedInHomeBox());
        var state = Assert.IsType<Parcel.InHomeBox>(spec.ThenState());
        Assert.Equal((HomeBox, 1, Courier), (state.Box, state.Compartment, state.DepositedBy));
        Assert.Equal(ParcelStatus.AwaitingCollection, ParcelTimeline.StatusOf(state));
    }

    [Fact]
    public void GivenInHomeBox_WhenDepositInHomeBoxAgain_ThenNothingHappens() =>
        Given(Registered(ToHomeBox), PickedUpAtShop(), DepositedInHomeBox()).When(new DepositInHomeBox(HomeBox, 1, DepositedAt.AddMinutes(1))).Then();

    [Fact]
    public void GivenPickedUpForAnotherHomeBox_WhenDepositInHomeBox_ThenRefused() =>
        Given(Registered(ToHomeBox), PickedUpAtShop()).When(new DepositInHomeBox(new LockerId("homebox-other"), 1, DepositedAt)).ThenRefused("parcel.not-its-destination");

    [Fact]
    public void GivenPickedUpForLocker_WhenDepositInHomeBox_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(new DepositInHomeBox(HomeBox, 1, DepositedAt)).ThenRefused("parcel.not-its-destination");

    [Fact]
    public void GivenPickedUpForHomeBox_WhenDepositInALocker_ThenRefused() =>
        Given(Registered(ToHomeBox), PickedUpAtShop()).When(new Deposit(Locker, 7, CodeHash, CollectBy, RemindAt, CollectBy, DepositedAt)).ThenRefused("parcel.not-its-destination");

    [Fact]
    public void GivenPickedUpForHomeBox_WhenRedirect_ThenRefused() =>
        Given(Registered(ToHomeBox), PickedUpAtShop()).When(new Redirect(Locker, "box full", DepositedAt)).ThenRefused("parcel.home-box");

    [Fact]
    public void GivenInHomeBox_WhenCollect_ThenCollectedFromTheBoxWhenTheOwnerOpenedIt()
    {
        var openedAt = DepositedAt.AddHours(5);
        var spec = Given(Registered(ToHomeBox), PickedUpAtShop(), DepositedInHomeBox()).When(new Collect(openedAt.AddSeconds(3), openedAt));

        spec.Then(new ParcelCollected(Id, HomeBox, 1, null, openedAt));
        Assert.Equal(new CollectionPoint.InLocker(HomeBox, 1), Assert.IsType<Parcel.Collected>(spec.ThenState()).Point);
    }

    [Fact]
    public void GivenInHomeBoxForAWeek_WhenCollect_ThenStillCollected_TheBoxHasNoDeadline() =>
        Given(Registered(ToHomeBox), PickedUpAtShop(), DepositedInHomeBox()).When(new Collect(CollectBy.AddDays(7)))
            .Then(new ParcelCollected(Id, HomeBox, 1, null, CollectBy.AddDays(7)));

    [Fact]
    public void GivenInHomeBox_WhenExpire_ThenRefused() =>
        Given(Registered(ToHomeBox), PickedUpAtShop(), DepositedInHomeBox()).When(new Expire(CollectBy.AddDays(7))).ThenRefused("parcel.in-home-box");
}
