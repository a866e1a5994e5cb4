using Logistics.LockerLink;
using Logistics.Lockers.Doors;

namespace Logistics.Lockers.Host.Controller;

/// <summary>Door facts as they go on the wire.</summary>
internal static class FactPayloads
{
    public static DevicePayload Of(DoorFact fact, UnlockCause? cause) => fact switch
    {
        DoorFact.PulseSent f => new DevicePayload.PulseSent(f.Compartment.Value, f.Attempt, (long)f.OnTime.TotalMilliseconds, cause),
        DoorFact.LatchReleased f => new DevicePayload.LatchReleased(f.Compartment.Value, cause),
        DoorFact.DoorOpened f => new DevicePayload.DoorOpened(f.Compartment.Value, f.Authorised, cause),
        DoorFact.DoorClosed f => new DevicePayload.DoorClosed(f.Compartment.Value, (long)f.OpenFor.TotalMilliseconds),
        DoorFact.Jammed f => new DevicePayload.Jammed(f.Compartment.Value, f.Attempts, cause),
        DoorFact.DoorLeftOpen f => new DevicePayload.DoorLeftOpen(f.Compartment.Value, (long)f.OpenFor.TotalMilliseconds),
        DoorFact.ForcedOpen f => new DevicePayload.ForcedOpen(f.Compartment.Value),
        DoorFact.CoilWatchdogTripped f => new DevicePayload.CoilWatchdogTripped(f.Compartment.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(fact), fact.GetType().Name, "Unmapped door fact."),
    };

    /// <summary>Facts that close an unlock intent: the door answered one way or the other.</summary>
    public static bool Concludes(DoorFact fact) => fact is DoorFact.DoorOpened or DoorFact.Jammed;
}
