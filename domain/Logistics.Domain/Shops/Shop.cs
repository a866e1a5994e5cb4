namespace Logistics.Domain.Shops;

public sealed record ShopDetails(ShopId Id, string Name, string Address, GeoPoint Location, bool IsRelayPoint, DateTimeOffset RegisteredAt);

public abstract record Shop
{
    private Shop()
    {
    }

    public static Shop Initial { get; } = new NotRegistered();

    public sealed record NotRegistered : Shop;

    public sealed record Open(ShopDetails Details) : Shop;

    public sealed record Closed(ShopDetails Details, DateTimeOffset At) : Shop;

    public static Shop Evolve(Shop state, ShopEvent e) => (state, e) switch
    {
        (NotRegistered, ShopRegistered r) => new Open(new ShopDetails(r.ShopId, r.Name, r.Address, r.Location, r.IsRelayPoint, r.At)),
        (Open s, RelayPointChanged c) => new Open(s.Details with { IsRelayPoint = c.IsRelayPoint }),
        (Open s, ShopClosed c) => new Closed(s.Details, c.At),
        _ => state,
    };

    /// <summary>The shop's details, open or closed, or null before registration.</summary>
    public static ShopDetails? DetailsOf(Shop state) => state switch
    {
        Open s => s.Details,
        Closed s => s.Details,
        _ => null,
    };

    public static Shop Fold(IEnumerable<ShopEvent> events) => events.Aggregate(Initial, Evolve);
}
