namespace Logistics.Domain.Couriers;

/// <summary>What happened to a courier. Class names are stored names: never rename one.</summary>
public abstract record CourierEvent(CourierId CourierId, DateTimeOffset At);

public sealed record CourierRegistered(CourierId CourierId, string Name, Vehicle Vehicle, int CapacityUnits, DateTimeOffset At)
    : CourierEvent(CourierId, At);

public sealed record ShiftStarted(CourierId CourierId, GeoPoint? Location, DateTimeOffset At) : CourierEvent(CourierId, At);

public sealed record ShiftEnded(CourierId CourierId, DateTimeOffset At) : CourierEvent(CourierId, At);

/// <summary>The reason concerns the courier, a member of staff, not a parcel's recipient: not sealed.</summary>
public sealed record CourierDeactivated(CourierId CourierId, string Reason, DateTimeOffset At) : CourierEvent(CourierId, At);
