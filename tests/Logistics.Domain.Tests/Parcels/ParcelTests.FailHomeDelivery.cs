using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static readonly DateTimeOffset FailedAt = T0.AddHours(6).AddMinutes(20);

    private static FailHomeDelivery FailBy(CourierId courier) => new(courier, "nobody home", OtherLocker, FailedAt);

    [Fact]
    public void GivenPickedUpForHome_WhenFailHomeDelivery_ThenFailedAndRedirectedToTheLocker()
    {
        var spec = Given(WithCourierForHome()).When(FailBy(Courier));

        spec.Then(
            new HomeDeliveryFailed(Id, Courier, Said("nobody home"), FailedAt),
            new ParcelRedirected(Id, OtherLocker, Said("Home delivery failed: nobody home"), FailedAt));
        var state = Assert.IsType<Parcel.PickedUp>(spec.ThenState());
        Assert.Equal(new Destination.ToLocker(OtherLocker), state.Details.Destination);
        Assert.Equal(Courier, state.Courier);
    }

    [Fact]
    public void GivenRedirectedAfterFailure_WhenDepositInThatLocker_ThenDeposited() =>
        Given([.. WithCourierForHome(), new HomeDeliveryFailed(Id, Courier, Said("nobody home"), FailedAt), new ParcelRedirected(Id, OtherLocker, Said("x"), FailedAt)])
            .When(DepositIn(OtherLocker))
            .Then(Deposited() with { Locker = OtherLocker });

    [Fact]
    public void GivenRedirectedAfterFailure_WhenFailHomeDeliveryIsRetried_ThenNothingHappens() =>
        Given([.. WithCourierForHome(), new HomeDeliveryFailed(Id, Courier, Said("nobody home"), FailedAt), new ParcelRedirected(Id, OtherLocker, Said("x"), FailedAt)])
            .When(FailBy(Courier))
            .Then();

    [Fact]
    public void GivenPickedUpForHome_WhenFailHomeDeliveryByAnotherCourier_ThenRefused() =>
        Given(WithCourierForHome()).When(FailBy(OtherCourier)).ThenRefused("parcel.held-by-other-courier");

    [Fact]
    public void GivenPickedUpForLocker_WhenFailHomeDelivery_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(FailBy(Courier)).ThenRefused("parcel.not-home-delivery");

    [Fact]
    public void GivenDelivered_WhenFailHomeDelivery_ThenRefused() =>
        Given([.. WithCourierForHome(), new ParcelDelivered(Id, Courier, FailedAt)]).When(FailBy(Courier)).ThenRefused("parcel.already-delivered");
}
