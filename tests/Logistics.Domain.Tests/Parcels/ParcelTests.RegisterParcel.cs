using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static RegisterParcel Register(Destination? destination = null, Recipient? recipient = null, string tracking = Tracking) =>
        new(Id, tracking, Shop, recipient ?? Recipient, ParcelSize.M, destination ?? ToLocker, T0);

    [Fact]
    public void GivenNothing_WhenRegisterParcelForLocker_ThenRegistered() =>
        Given().When(Register()).Then(Registered());

    [Fact]
    public void GivenNothing_WhenRegisterParcelForRelayShop_ThenRegistered() =>
        Given().When(Register(ToRelay)).Then(Registered(ToRelay));

    [Fact]
    public void GivenNothing_WhenRegisterParcelForHome_ThenRegisteredAwaitingPickupAtShop()
    {
        var state = Given().When(Register(ToHome)).ThenState();

        var registered = Assert.IsType<Parcel.Registered>(state);
        Assert.Equal(ToHome, registered.Details.Destination);
        Assert.Equal(Shop, registered.Details.Shop);
    }

    [Fact]
    public void GivenNothing_WhenRegisterParcelForHomeWithoutAddress_ThenRefused()
    {
        var refusal = Given().When(Register(ToHome, Recipient with { Address = null })).ThenRefused("parcel.home-without-address");

        Assert.Contains(Tracking, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenNothing_WhenRegisterParcelForAPastWindow_ThenRefused() =>
        Given().When(Register(new Destination.ToHome(new TimeWindow(T0.AddHours(-3), T0.AddHours(-1))))).ThenRefused("parcel.delivery-window-passed");

    [Fact]
    public void GivenNothing_WhenRegisterParcelWithoutTrackingId_ThenRefused() =>
        Given().When(Register(tracking: " ")).ThenRefused("parcel.tracking-id-missing");

    [Fact]
    public void GivenNothing_WhenRegisterParcelWithoutRecipientName_ThenRefused() =>
        Given().When(Register(recipient: Recipient with { Name = "" })).ThenRefused("parcel.recipient-name-missing");

    [Fact]
    public void GivenRegistered_WhenRegisterParcelAgainWithTheSameData_ThenNothingHappens() =>
        Given(Registered()).When(Register() with { Now = T0.AddMinutes(1) }).Then();

    [Fact]
    public void GivenRegistered_WhenRegisterParcelWithOtherData_ThenRefused() =>
        Given(Registered()).When(Register() with { Shop = OtherShop }).ThenRefused("parcel.already-registered");
}
