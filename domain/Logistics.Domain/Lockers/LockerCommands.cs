namespace Logistics.Domain.Lockers;

/// <summary>Commands on a locker's stream. Compartments are named by their number on the locker.</summary>
public abstract record LockerCommand;

public sealed record RegisterLocker(
    LockerId LockerId,
    string Name,
    GeoPoint Location,
    string Address,
    IReadOnlyList<CompartmentSpec> Compartments,
    DateTimeOffset Now) : LockerCommand;

/// <summary>
/// Reserve the smallest free compartment that fits (ties: lowest number; low-height ones first only when
/// <paramref name="PreferLowHeight"/>). Deciding it on the locker's stream is what keeps two couriers from being
/// given the same compartment. The chosen number is in the <see cref="CompartmentReserved"/> event, or, for a repeat,
/// in <see cref="Locker.Registered.CompartmentOf"/>.
/// </summary>
public sealed record ReserveCompartment(ParcelId Parcel, ParcelSize Size, bool PreferLowHeight, DateTimeOffset Now) : LockerCommand;

/// <summary>The parcel is in the compartment (deposit or shop drop done).</summary>
public sealed record OccupyCompartment(int Compartment, ParcelId Parcel, DateTimeOffset Now) : LockerCommand;

/// <summary>The parcel left the compartment (collected, or taken out by a courier or a shop).</summary>
public sealed record ReleaseCompartment(int Compartment, ParcelId Parcel, DateTimeOffset Now, string? Reason = null) : LockerCommand;

/// <summary>The parcel will not come (redirected, cancelled): give its reserved compartment back.</summary>
/// <summary>
/// The parcel in the compartment was collected at <paramref name="CollectedAt"/>: free it once the door has opened and
/// closed after that (at once when the board reported that already), so the next parcel never meets the last one.
/// </summary>
public sealed record ReleaseAfterDoorCycle(int Compartment, ParcelId Parcel, DateTimeOffset CollectedAt, DateTimeOffset Now) : LockerCommand;

public sealed record CancelReservation(ParcelId Parcel, DateTimeOffset Now, string? Reason = null) : LockerCommand;

public sealed record TakeOutOfService(int Compartment, string Reason, DateTimeOffset Now) : LockerCommand;

public sealed record ReturnToService(int Compartment, DateTimeOffset Now) : LockerCommand;

/// <summary>The controller saw a door open; <paramref name="Unlocked"/> false means nobody unlocked it (forced).</summary>
public sealed record ReportDoorOpened(int Compartment, bool Unlocked, DateTimeOffset Now) : LockerCommand;

public sealed record ReportDoorClosed(int Compartment, DateTimeOffset Now) : LockerCommand;

public sealed record RaiseAlarm(AlarmKind Kind, int? Compartment, DateTimeOffset Now) : LockerCommand;

public sealed record ClearAlarm(AlarmKind Kind, int? Compartment, DateTimeOffset Now) : LockerCommand;

public sealed record ReportOnline(DateTimeOffset Now) : LockerCommand;

public sealed record ReportOffline(DateTimeOffset Now) : LockerCommand;
