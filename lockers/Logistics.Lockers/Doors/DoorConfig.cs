namespace Logistics.Lockers.Doors;

/// <summary>One compartment's door as the controller needs to know it: which supply rail feeds its coil,
/// and whether its lock has a latch feedback contact.</summary>
public sealed record DoorConfig(CompartmentId Compartment, int Rail = 0, bool HasLatchFeedback = false);

public enum DoorPhase
{
    Closed,
    WaitingForRail,
    Pulsing,
    AwaitingOpen,
    Open,
}

/// <summary>A snapshot for screens and diagnostics.</summary>
public sealed record DoorStatus(CompartmentId Compartment, DoorPhase Phase, int Attempt, bool LeftOpenAlarm);
