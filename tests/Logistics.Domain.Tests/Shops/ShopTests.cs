using Logistics.Domain.Shops;

namespace Logistics.Domain.Tests.Shops;

public class ShopTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly ShopId Id = new("s-librairie");
    private static readonly GeoPoint Location = new(47.3950, 0.6880);
    private static readonly ShopRegistered Registered = new(Id, "Librairie du Centre", "12 rue Nationale, Tours", Location, false, T0);

    private static DeciderSpec<Shop, ShopCommand, ShopEvent> Given(params ShopEvent[] history) =>
        new DeciderSpec<Shop, ShopCommand, ShopEvent>(ShopDecider.Decide, Shop.Evolve, Shop.Initial).Given(history);

    private static RegisterShop Register => new(Id, "Librairie du Centre", "12 rue Nationale, Tours", Location, false, T0);

    [Fact]
    public void GivenNothing_WhenRegisterShop_ThenOpen()
    {
        var spec = Given().When(Register);

        spec.Then(Registered);
        Assert.Equal(new ShopDetails(Id, "Librairie du Centre", "12 rue Nationale, Tours", Location, false, T0), Assert.IsType<Shop.Open>(spec.ThenState()).Details);
    }

    [Fact]
    public void GivenNothing_WhenRegisterShopWithoutName_ThenRefused() =>
        Given().When(Register with { Name = " " }).ThenRefused("shop.name-missing");

    [Fact]
    public void GivenOpen_WhenRegisterShopAgainIdentically_ThenNothingHappens() =>
        Given(Registered).When(Register with { Now = T0.AddHours(1) }).Then();

    [Fact]
    public void GivenOpen_WhenRegisterShopWithOtherData_ThenRefused() =>
        Given(Registered).When(Register with { Name = "Autre" }).ThenRefused("shop.already-registered");

    [Fact]
    public void GivenOpen_WhenChangeRelayPoint_ThenRelayPointChanged()
    {
        var spec = Given(Registered).When(new ChangeRelayPoint(true, T0.AddDays(1)));

        spec.Then(new RelayPointChanged(Id, true, T0.AddDays(1)));
        Assert.True(Assert.IsType<Shop.Open>(spec.ThenState()).Details.IsRelayPoint);
    }

    [Fact]
    public void GivenOpen_WhenChangeRelayPointToItsCurrentValue_ThenNothingHappens() =>
        Given(Registered).When(new ChangeRelayPoint(false, T0.AddDays(1))).Then();

    [Fact]
    public void GivenNothing_WhenChangeRelayPoint_ThenRefused() =>
        Given().When(new ChangeRelayPoint(true, T0)).ThenRefused("shop.not-registered");

    [Fact]
    public void GivenOpen_WhenCloseShop_ThenClosed() =>
        Given(Registered).When(new CloseShop(T0.AddDays(30))).Then(new ShopClosed(Id, T0.AddDays(30)));

    [Fact]
    public void GivenClosed_WhenChangeRelayPoint_ThenRefused() =>
        Given(Registered, new ShopClosed(Id, T0.AddDays(30))).When(new ChangeRelayPoint(true, T0.AddDays(31))).ThenRefused("shop.closed");

    [Fact]
    public void GivenClosed_WhenCloseShopAgain_ThenRefused() =>
        Given(Registered, new ShopClosed(Id, T0.AddDays(30))).When(new CloseShop(T0.AddDays(31))).ThenRefused("shop.closed");

    [Fact]
    public void GivenClosed_WhenRegisterShop_ThenRefused() =>
        Given(Registered, new ShopClosed(Id, T0.AddDays(30))).When(Register).ThenRefused("shop.closed");
}
