namespace Logistics.Domain.Shops;

public abstract record ShopCommand;

/// <summary>A shop joins the network; a relay point also receives parcels for customers to collect.</summary>
public sealed record RegisterShop(ShopId ShopId, string Name, string Address, GeoPoint Location, bool IsRelayPoint, DateTimeOffset Now)
    : ShopCommand;

public sealed record ChangeRelayPoint(bool IsRelayPoint, DateTimeOffset Now) : ShopCommand;

/// <summary>The shop leaves the network; its stream then refuses every command.</summary>
public sealed record CloseShop(DateTimeOffset Now) : ShopCommand;
