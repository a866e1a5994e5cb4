namespace Logistics.Dispatch.Checking;

/// <summary>What the checker found: every violation with a readable message, and the cost recomputed in double precision.</summary>
public sealed record CheckReport(IReadOnlyList<Violation> Violations, int Vehicles, double Distance)
{
    public bool Feasible => Violations.Count == 0;

    /// <summary>Total time served after soft deadlines, and its price.</summary>
    public double Lateness { get; init; }

    public double LatenessPrice { get; init; }
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
    NoAccess,
    BreakMissing,
    BreakLate,
    ShiftTooLong,
    FixedStopsChanged,
    TooManyChanges,
}
