namespace Logistics.Domain.Shops;

/// <summary>What happened to a shop. Class names are stored names: never rename one.</summary>
public abstract record ShopEvent(ShopId ShopId, DateTimeOffset At);

public sealed record ShopRegistered(ShopId ShopId, string Name, string Address, GeoPoint Location, bool IsRelayPoint, DateTimeOffset At)
    : ShopEvent(ShopId, At);

public sealed record RelayPointChanged(ShopId ShopId, bool IsRelayPoint, DateTimeOffset At) : ShopEvent(ShopId, At);

public sealed record ShopClosed(ShopId ShopId, DateTimeOffset At) : ShopEvent(ShopId, At);
