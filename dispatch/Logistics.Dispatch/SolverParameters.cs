namespace Logistics.Dispatch;

/// <summary>
/// Knobs of the search. The defaults are the ones measured on Li &amp; Lim (dispatch/README.md).
/// Threads run independent searches from seed-derived streams; the best wins, ties to the lowest thread.
/// </summary>
public sealed record SolverParameters
{
    public int Threads { get; init; } = 1;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Largest share of the progress spent removing routes (hierarchical objective only).</summary>
    public double FleetMinimisationShare { get; init; } = 0.5;

    /// <summary>The fleet phase ends early when it has removed no route for this share of the progress; the distance phase gets the rest.</summary>
    public double FleetPatience { get; init; } = 0.5;

    /// <summary>Distance phase: chance that a ruin empties a whole route instead of cutting strings.</summary>
    public double RouteRuinRate { get; init; } = 0.05;

    /// <summary>Distance phase: after this many iterations without a new best the ruins grow (linearly), up to <see cref="MaxNeighbourhoodGrowth"/> times; 0 never.</summary>
    public long StagnationIterations { get; init; }

    /// <summary>Largest factor on <see cref="AverageRemoved"/> when stagnating.</summary>
    public double MaxNeighbourhoodGrowth { get; init; } = 3;

    /// <summary>SISR: average number of requests removed per ruin.</summary>
    public double AverageRemoved { get; init; } = 10;

    /// <summary>SISR: maximum string length, in stops.</summary>
    public int MaxStringLength { get; init; } = 10;

    /// <summary>SISR: chance of keeping one more stop inside a split string.</summary>
    public double SplitDepth { get; init; } = 0.01;

    /// <summary>SISR: probability of skipping an insertion position ("blinks").</summary>
    public double BlinkRate { get; init; } = 0.01;

    /// <summary>Above this many used routes, an insertion only tries routes visiting one of the request's nearest stops.</summary>
    public int GranularRouteThreshold { get; init; } = 30;

    /// <summary>How many nearest stops (of the pickup and of the delivery) name the routes tried.</summary>
    public int GranularNeighbours { get; init; } = 40;

    /// <summary>A new best is polished by local search (pair relocate, pair exchange, 2-opt*) at most once per this many iterations; 0 turns the local search off.</summary>
    public int LocalSearchInterval { get; init; } = 2000;

    /// <summary>Above this many requests the local search is left out (its scans are not granular).</summary>
    public int LocalSearchMaxRequests { get; init; } = 400;

    /// <summary>Annealing temperatures, as fractions of the mean arc cost of the first solution.</summary>
    public double StartTemperature { get; init; } = 0.5;

    public double EndTemperature { get; init; } = 0.01;

    /// <summary>Called (from the search threads) each time a thread finds a better solution; for progress displays only.</summary>
    public Action<Improvement>? OnImprovement { get; init; }

    public static SolverParameters Default { get; } = new();
}

/// <summary>A new best of one search thread: its cost in problem units (distance under the hierarchical objective).</summary>
public sealed record Improvement(int Thread, TimeSpan Elapsed, long Iterations, int Vehicles, int Unassigned, double Cost);
