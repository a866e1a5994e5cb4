namespace Logistics.Domain.Lockers;

public enum AlarmKind
{
    /// <summary>A door stayed open longer than the controller allows.</summary>
    DoorLeftOpen,

    /// <summary>A door opened without the controller unlocking it.</summary>
    ForcedOpen,

    /// <summary>The lock did not release (or did not latch) when driven.</summary>
    LockStuck,

    /// <summary>The core lost the link to the locker's controller.</summary>
    ControllerOffline,
}

/// <summary>An active alarm; <paramref name="Compartment"/> is null for alarms about the whole locker.</summary>
public sealed record LockerAlarm(AlarmKind Kind, int? Compartment, DateTimeOffset RaisedAt);
