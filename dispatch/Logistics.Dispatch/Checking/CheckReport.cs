namespace Logistics.Dispatch.Checking;

/// <summary>What the checker found: every violation with a readable message, and the cost recomputed in double precision.</summary>
public sealed record CheckReport(IReadOnlyList<Violation> Violations, int Vehicles, double Distance)
{
    public bool Feasible => Violations.Count == 0;
}

public sealed record Violation(ViolationKind Kind, string Message);

public enum ViolationKind
{
    UnknownVehicle,
    VehicleUsedTwice,
    UnknownStop,
    StopVisitedTwice,
    PairSplit,
    DeliveryBeforePickup,
    CapacityExceeded,
    WindowMissed,
    BackAfterShift,
    RequestNotServed,
    VehicleNotAllowed,
}
