using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static readonly DateTimeOffset RedirectedAt = T0.AddHours(2);

    [Fact]
    public void GivenPickedUpForLocker_WhenRedirect_ThenRedirected() =>
        Given(Registered(), PickedUpAtShop())
            .When(new Redirect(OtherLocker, "locker full", RedirectedAt))
            .Then(new ParcelRedirected(Id, OtherLocker, Said("locker full"), RedirectedAt));

    [Fact]
    public void GivenPickedUpForRelay_WhenRedirect_ThenRedirectedToTheLocker() =>
        Given(Registered(ToRelay), PickedUpAtShop())
            .When(new Redirect(OtherLocker, "relay shop closed", RedirectedAt))
            .Then(new ParcelRedirected(Id, OtherLocker, Said("relay shop closed"), RedirectedAt));

    [Fact]
    public void GivenAPromisedParcelRedirected_ThenItsNewDestinationKeepsThePromise()
    {
        var promised = new Destination.ToHome(Window) { PromisedBy = T0.AddHours(7) };

        var state = Given(Registered(promised), PickedUpAtShop(), new ParcelRedirected(Id, OtherLocker, Said("nobody home"), RedirectedAt)).State;

        var details = Assert.IsType<Parcel.PickedUp>(state).Details;
        Assert.Equal(new Destination.ToLocker(OtherLocker) { PromisedBy = T0.AddHours(7) }, details.Destination);
    }

    [Fact]
    public void GivenPickedUpForLocker_WhenRedirectToItsOwnDestination_ThenNothingHappens() =>
        Given(Registered(), PickedUpAtShop()).When(new Redirect(Locker, "again", RedirectedAt)).Then();

    [Fact]
    public void GivenPickedUpForHome_WhenRedirect_ThenRefused() =>
        Given(WithCourierForHome()).When(new Redirect(OtherLocker, "why not", RedirectedAt)).ThenRefused("parcel.home-delivery");

    [Fact]
    public void GivenRegistered_WhenRedirect_ThenRefused() =>
        Given(Registered()).When(new Redirect(OtherLocker, "locker full", RedirectedAt)).ThenRefused("parcel.awaiting-pickup");
}
