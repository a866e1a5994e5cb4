namespace Logistics.Dispatch;

/// <summary>
/// The result of a solve. <see cref="Routes"/> lists, per used vehicle, the stop indices in visiting order
/// (the vehicle's start and end are implicit). Every request is either on a route or in <see cref="Unassigned"/>
/// with its reason. Distance and duration are recomputed in double precision from the problem's matrix.
/// </summary>
public sealed record Solution(IReadOnlyList<PlannedRoute> Routes, IReadOnlyList<UnassignedRequest> Unassigned, double Cost, double Distance, long Iterations)
{
    public int VehiclesUsed => Routes.Count;

    /// <summary>Stops served after their soft deadline (<see cref="Model.Stop.Due"/>): who is late, and by how much.</summary>
    public IReadOnlyList<LateStop> Late { get; init; } = [];

    /// <summary>For a re-plan (<see cref="Model.ProblemData.Previous"/>): per vehicle, what changed against its previous round.</summary>
    public IReadOnlyList<RouteChange> Changes { get; init; } = [];
}

/// <summary>One vehicle's round: stop indices into <see cref="Model.ProblemData.Stops"/>, and when service starts at each (earliest schedule).</summary>
public sealed record PlannedRoute(int Vehicle, IReadOnlyList<int> Stops, IReadOnlyList<double> ServiceStarts, double Distance, double EndTime)
{
    /// <summary>When the round leaves its start: as late as its first stop allows, from the shift's start on.</summary>
    public double Departure { get; init; }

    /// <summary>The courier's break (<see cref="Model.Vehicle.Break"/>) when the round needs one.</summary>
    public RouteBreak? Break { get; init; }
}

/// <summary>A break taken after the stop at position <see cref="AfterPosition"/> of the route (0-based), from <see cref="Start"/> for <see cref="Length"/>.</summary>
public sealed record RouteBreak(int AfterPosition, double Start, double Length);

/// <summary>A stop served after its soft deadline: the request, the stop, the vehicle, by how much, and what it costs.</summary>
public sealed record LateStop(int Request, int Stop, int Vehicle, double Lateness, double Price);

/// <summary>
/// What a re-plan changed on one vehicle's round: requests added (new ones, or taken over from another vehicle),
/// requests taken away (to another vehicle, or left unassigned), so the planner can tell the courier why.
/// </summary>
public sealed record RouteChange(int Vehicle, IReadOnlyList<RequestMove> Added, IReadOnlyList<RequestMove> Removed, bool Started)
{
    public int Count => Added.Count + Removed.Count;
}

/// <summary>A request that changed vehicle: from and to (null: new, or left unassigned).</summary>
public sealed record RequestMove(int Request, int? From, int? To);

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

    /// <summary>Deferred: it fits a vehicle on its own, but the search found no room for it next to the other requests.</summary>
    NoRoomLeft,

    /// <summary>No vehicle whose profile may reach its stops (pedestrian zone, access hours) can serve it.</summary>
    NoAccess,

    /// <summary>It fits the windows, but no vehicle can serve it within its maximum shift length and its break.</summary>
    OverShiftLength,
}
