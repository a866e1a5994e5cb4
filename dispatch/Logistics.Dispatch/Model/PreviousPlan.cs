namespace Logistics.Dispatch.Model;

/// <summary>
/// The plan a re-plan starts from, for stable rounds. Each request on a previous route stays with its vehicle unless
/// moving it saves more than <see cref="MoveCost"/>; a started route keeps its first <see cref="PreviousRoute.Fixed"/>
/// stops in order and changes by at most <see cref="MaxStartedChanges"/> requests (added, or taken away).
/// Stops are indices of the new problem (a request already done is not in it).
/// </summary>
public sealed record PreviousPlan(IReadOnlyList<PreviousRoute> Routes)
{
    /// <summary>The price, in the objective's units, of giving a request of a previous route to another vehicle.</summary>
    public double MoveCost { get; init; }

    public int MaxStartedChanges { get; init; } = int.MaxValue;
}

/// <summary>A vehicle's previous round: its stops in order, how many at its head are fixed (done next, in that order), whether the courier has set off.</summary>
public sealed record PreviousRoute(int Vehicle, IReadOnlyList<int> Stops, int Fixed = 0, bool Started = false)
{
    public bool IsStarted => Started || Fixed > 0;
}
