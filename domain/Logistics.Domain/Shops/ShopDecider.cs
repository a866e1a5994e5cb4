using static Logistics.Domain.Shops.Shop;

namespace Logistics.Domain.Shops;

public static class ShopDecider
{
    public static ShopEvent[] Decide(ShopCommand command, Shop state) => (command, state) switch
    {
        (_, Closed s) => throw new DomainRuleViolation(
            "shop.closed",
            $"Shop {s.Details.Id} ({s.Details.Name}) closed at {Moment.Format(s.At)}; it accepts no more changes."),
        (RegisterShop c, NotRegistered) => Register(c),
        (RegisterShop c, Open s) => s.Details.Id == c.ShopId && s.Details.Name == c.Name && s.Details.Address == c.Address
            && s.Details.Location == c.Location
                ? []
                : throw new DomainRuleViolation("shop.already-registered", $"Shop {s.Details.Id} ({s.Details.Name}) is already registered."),
        (_, NotRegistered) => throw new DomainRuleViolation("shop.not-registered", "This shop is not registered."),
        (ChangeRelayPoint c, Open s) => s.Details.IsRelayPoint == c.IsRelayPoint
            ? []
            : [new RelayPointChanged(s.Details.Id, c.IsRelayPoint, c.Now)],
        (CloseShop c, Open s) => [new ShopClosed(s.Details.Id, c.Now)],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown shop command."),
    };

    private static ShopEvent[] Register(RegisterShop c)
    {
        if (string.IsNullOrWhiteSpace(c.ShopId.Value))
        {
            throw new DomainRuleViolation("shop.id-missing", "A shop needs an id.");
        }

        return string.IsNullOrWhiteSpace(c.Name)
            ? throw new DomainRuleViolation("shop.name-missing", $"Shop {c.ShopId} needs a name.")
            : [new ShopRegistered(c.ShopId, c.Name, c.Address, c.Location, c.IsRelayPoint, c.Now)];
    }
}
