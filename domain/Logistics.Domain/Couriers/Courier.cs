namespace Logistics.Domain.Couriers;

public sealed record CourierDetails(CourierId Id, string Name, Vehicle Vehicle, int CapacityUnits, DateTimeOffset RegisteredAt);

/// <summary>The state of a courier; planning gives rounds only to couriers <see cref="OnShift"/>.</summary>
public abstract record Courier
{
    private Courier()
    {
    }

    public static Courier Initial { get; } = new NotRegistered();

    public sealed record NotRegistered : Courier;

    public sealed record OffShift(CourierDetails Details, DateTimeOffset? LastShiftEndedAt) : Courier;

    public sealed record OnShift(CourierDetails Details, GeoPoint? StartLocation, DateTimeOffset Since) : Courier;

    public sealed record Deactivated(CourierDetails Details, string Reason, DateTimeOffset At) : Courier;

    public static Courier Evolve(Courier state, CourierEvent e) => (state, e) switch
    {
        (NotRegistered, CourierRegistered r) => new OffShift(new CourierDetails(r.CourierId, r.Name, r.Vehicle, r.CapacityUnits, r.At), null),
        (OffShift s, ShiftStarted x) => new OnShift(s.Details, x.Location, x.At),
        (OnShift s, ShiftEnded x) => new OffShift(s.Details, x.At),
        (OffShift s, CourierDeactivated x) => new Deactivated(s.Details, x.Reason, x.At),
        (OnShift s, CourierDeactivated x) => new Deactivated(s.Details, x.Reason, x.At),
        _ => state,
    };

    /// <summary>The courier's details in any registered state, or null before registration.</summary>
    public static CourierDetails? DetailsOf(Courier state) => state switch
    {
        OffShift s => s.Details,
        OnShift s => s.Details,
        Deactivated s => s.Details,
        _ => null,
    };

    public static Courier Fold(IEnumerable<CourierEvent> events) => events.Aggregate(Initial, Evolve);
}
