using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static readonly DateTimeOffset DeliveredAt = T0.AddHours(6).AddMinutes(20);

    [Fact]
    public void GivenPickedUpForHome_WhenDeliverHome_ThenDelivered() =>
        Given(WithCourierForHome()).When(new DeliverHome(Courier, DeliveredAt)).Then(new ParcelDelivered(Id, Courier, DeliveredAt));

    [Fact]
    public void GivenPickedUpForHome_WhenDeliverHomeWithAProof_ThenDeliveredNamingTheProof() =>
        Given(WithCourierForHome())
            .When(new DeliverHome(Courier, DeliveredAt) { Proof = new DeliveryProof("proof-1", Photo: false, Signature: true) })
            .Then(new ParcelDelivered(Id, Courier, DeliveredAt) { Proof = new DeliveryProof("proof-1", Photo: false, Signature: true) });

    [Fact]
    public void GivenDelivered_WhenDeliverHomeAgain_ThenNothingHappens() =>
        Given([.. WithCourierForHome(), new ParcelDelivered(Id, Courier, DeliveredAt)]).When(new DeliverHome(Courier, DeliveredAt.AddMinutes(1))).Then();

    [Fact]
    public void GivenPickedUpForHome_WhenDeliverHomeByAnotherCourier_ThenRefused() =>
        Given(WithCourierForHome()).When(new DeliverHome(OtherCourier, DeliveredAt)).ThenRefused("parcel.held-by-other-courier");

    [Fact]
    public void GivenPickedUpForLocker_WhenDeliverHome_ThenRefused() =>
        Given(Registered(), PickedUpAtShop()).When(new DeliverHome(Courier, DeliveredAt)).ThenRefused("parcel.not-home-delivery");

    [Fact]
    public void GivenRegisteredForHome_WhenDeliverHome_ThenRefused() =>
        Given(Registered(ToHome)).When(new DeliverHome(Courier, DeliveredAt)).ThenRefused("parcel.awaiting-pickup");
}
