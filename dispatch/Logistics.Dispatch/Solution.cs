namespace Logistics.Dispatch;

/// <summary>
/// The result of a solve. <see cref="Routes"/> lists, per used vehicle, the stop indices in visiting order
/// (the vehicle's start and end are implicit). Every request is either on a route or in <see cref="Unassigned"/>
/// with its reason. Distance and duration are recomputed in double precision from the problem's matrix.
/// </summary>
public sealed record Solution(IReadOnlyList<PlannedRoute> Routes, IReadOnlyList<UnassignedRequest> Unassigned, double Cost, double Distance, long Iterations)
{
    public int VehiclesUsed => Routes.Count;
}

/// <summary>One vehicle's round: stop indices into <see cref="Model.ProblemData.Stops"/>, and when service starts at each (earliest schedule).</summary>
public sealed record PlannedRoute(int Vehicle, IReadOnlyList<int> Stops, IReadOnlyList<double> ServiceStarts, double Distance, double EndTime);

/// <summary>A request the solver did not place, and why.</summary>
public sealed record UnassignedRequest(int Request, UnassignedReason Reason, string Explanation);

public enum UnassignedReason
{
    /// <summary>Its demand is larger than every vehicle's capacity.</summary>
    OverEveryCapacity,

    /// <summary>No vehicle can reach its windows (from its start, within its shift, and back) even carrying nothing else.</summary>
    WindowUnreachable,

    /// <summary>None of the vehicles it may use can serve it (it names none that fit).</summary>
    NoAllowedVehicle,

    /// <summary>It fits a vehicle on its own, but the search found no room for it next to the other requests.</summary>
    NoRoomLeft,
}
