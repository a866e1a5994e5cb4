namespace Logistics.Domain.Lockers;

/// <summary>What happened at a locker. Class names are stored names: never rename one.</summary>
public abstract record LockerEvent(LockerId LockerId, DateTimeOffset At);

/// <summary>A new locker, every compartment free and closed, its controller not yet heard from.</summary>
public sealed record LockerRegistered(
    LockerId LockerId,
    string Name,
    GeoPoint Location,
    string Address,
    IReadOnlyList<CompartmentSpec> Compartments,
    DateTimeOffset At) : LockerEvent(LockerId, At);

public sealed record CompartmentReserved(LockerId LockerId, int Compartment, ParcelId Parcel, ParcelSize ParcelSize, DateTimeOffset At)
    : LockerEvent(LockerId, At);

public sealed record CompartmentOccupied(LockerId LockerId, int Compartment, ParcelId Parcel, DateTimeOffset At)
    : LockerEvent(LockerId, At);

/// <summary>
/// The compartment is empty again; <paramref name="Reason"/> says why when it was not the parcel's own journey (a repair).
/// The reason is written by the core (the repair job), never typed by a person, so it is not sealed like a
/// <see cref="PersonalText"/>.
/// </summary>
public sealed record CompartmentFreed(LockerId LockerId, int Compartment, ParcelId Parcel, DateTimeOffset At, string? Reason = null)
    : LockerEvent(LockerId, At);

/// <summary>The parcel was collected; the compartment is free when the board reports its door opened and closed.</summary>
public sealed record CompartmentEmptying(LockerId LockerId, int Compartment, ParcelId Parcel, DateTimeOffset At)
    : LockerEvent(LockerId, At);

/// <summary>
/// A reservation given back; <paramref name="Reason"/> says why (a plan that no longer needs it, a repair). Written
/// by the core (planner, repair job), never typed by a person: not sealed.
/// </summary>
public sealed record ReservationCancelled(LockerId LockerId, int Compartment, ParcelId Parcel, DateTimeOffset At, string? Reason = null)
    : LockerEvent(LockerId, At);

/// <summary>
/// The operator's reason is about a free compartment (a broken lock), with no parcel and so no recipient whose key
/// could seal it: a plain string.
/// </summary>
public sealed record CompartmentTakenOutOfService(LockerId LockerId, int Compartment, string Reason, DateTimeOffset At)
    : LockerEvent(LockerId, At);

public sealed record CompartmentReturnedToService(LockerId LockerId, int Compartment, DateTimeOffset At)
    : LockerEvent(LockerId, At);

public sealed record DoorOpened(LockerId LockerId, int Compartment, bool Unlocked, DateTimeOffset At) : LockerEvent(LockerId, At);

public sealed record DoorClosed(LockerId LockerId, int Compartment, DateTimeOffset At) : LockerEvent(LockerId, At);

public sealed record AlarmRaised(LockerId LockerId, AlarmKind Kind, int? Compartment, DateTimeOffset At) : LockerEvent(LockerId, At);

public sealed record AlarmCleared(LockerId LockerId, AlarmKind Kind, int? Compartment, DateTimeOffset At) : LockerEvent(LockerId, At);

public sealed record LockerWentOnline(LockerId LockerId, DateTimeOffset At) : LockerEvent(LockerId, At);

public sealed record LockerWentOffline(LockerId LockerId, DateTimeOffset At) : LockerEvent(LockerId, At);
