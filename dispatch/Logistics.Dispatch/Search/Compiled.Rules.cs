using Logistics.Dispatch.Model;

namespace Logistics.Dispatch.Search;

/// <summary>
/// The rules the Savelsbergh arrays do not see, compiled: soft deadlines with their price, access hours per travel
/// profile, shift length and breaks per vehicle, and the previous plan of a re-plan. A vehicle touched by any of the
/// first four has its routes walked (<see cref="RouteWalk"/>) before an insertion is taken.
/// </summary>
internal sealed partial class Compiled
{
    /// <summary>Price, in cost units per scaled time unit, shifted left by <see cref="PriceShift"/> bits (integer arithmetic).</summary>
    public const int PriceShift = 16;

    /// <summary>The price of each change over a started route's allowance: more than any cost a plan can have.</summary>
    public const long ExcessChangePrice = 1L << 50;

    private const long Never = long.MaxValue / 4;

    public long[] Due { get; private set; } = [];

    public long[] LatePrice { get; private set; } = [];

    /// <summary>Per profile, per stop, when service may start there for that profile (null when no stop restricts it by time).</summary>
    public long[]?[] AccessOpen { get; private set; } = [];

    public long[]?[] AccessClose { get; private set; } = [];

    public long[] MaxDuration { get; private set; } = [];

    /// <summary>Scaled time from departure by which the break must start; -1 without a break.</summary>
    public long[] BreakAfter { get; private set; } = [];

    public long[] BreakLength { get; private set; } = [];

    public bool[] NeedsWalk { get; private set; } = [];

    /// <summary>Whether any cost sits outside the arc costs (lateness, stability): the local search, which sees arcs only, is then left out.</summary>
    public bool HasPenalties { get; private set; }

    public int[] PrevVehicle { get; private set; } = [];

    public int[] PrevCount { get; private set; } = [];

    public bool[] Started { get; private set; } = [];

    /// <summary>Per vehicle, the stops its route must begin with, in order (the fixed head of a started round), then the other stops of the requests begun there.</summary>
    public int[][] FixedHead { get; private set; } = [];

    /// <summary>Per vehicle, how many stops of <see cref="FixedHead"/> are fixed in place (the rest may take other places after them).</summary>
    public int[] FixedCount { get; private set; } = [];

    /// <summary>Requests with a stop in a fixed head: never ruined, never moved.</summary>
    public bool[] Pinned { get; private set; } = [];

    public long MoveCost { get; private set; }

    public int MaxChanges { get; private set; } = int.MaxValue;

    public long OpenFor(int node, int profile) => AccessOpen[profile] is { } open && node < StopCount ? open[node] : Open[node];

    public long CloseFor(int node, int profile) => AccessClose[profile] is { } close && node < StopCount ? close[node] : Close[node];

    private void CompileRules(ProblemData problem, List<(int Request, int Vehicle)> forbidden)
    {
        var nodes = StopCount + (2 * VehicleCount);
        Due = new long[nodes];
        LatePrice = new long[nodes];
        Array.Fill(Due, Never);
        var anyDue = false;
        for (var s = 0; s < StopCount; s++)
        {
            var stop = problem.Stops[s];
            if (stop.Due is { } due)
            {
                anyDue = true;
                Due[s] = Math.Max(Open[s], Down(due));
                LatePrice[s] = (long)Math.Round(stop.LatenessPrice * CostScale / TimeScale * (1L << PriceShift));
            }
        }

        CompileAccess(problem, forbidden);
        MaxDuration = new long[VehicleCount];
        BreakAfter = new long[VehicleCount];
        BreakLength = new long[VehicleCount];
        NeedsWalk = new bool[VehicleCount];
        for (var v = 0; v < VehicleCount; v++)
        {
            var vehicle = problem.Vehicles[v];
            MaxDuration[v] = vehicle.MaxDuration is { } max ? Down(max) : Never;
            BreakAfter[v] = vehicle.Break is { } rest ? Down(rest.After) : -1;
            BreakLength[v] = vehicle.Break is { } b ? Up(b.Length) : 0;
            NeedsWalk[v] = anyDue || vehicle.MaxDuration is not null || vehicle.Break is not null || AccessOpen[Profile[v]] is not null;
        }

        CompilePrevious(problem);
        HasPenalties = anyDue || problem.Previous is not null || NeedsWalk.Any(w => w);
    }

    // Profiles a stop does not list may not serve it (a request on those vehicles is forbidden); listed ones with
    // hours get a per-profile window, the stop's own window narrowed to those hours.
    private void CompileAccess(ProblemData problem, List<(int Request, int Vehicle)> forbidden)
    {
        AccessOpen = new long[]?[problem.Travel.Profiles];
        AccessClose = new long[]?[problem.Travel.Profiles];
        for (var s = 0; s < StopCount; s++)
        {
            if (problem.Stops[s].Access is not { } access)
            {
                continue;
            }

            for (var v = 0; v < VehicleCount; v++)
            {
                if (!access.Any(a => a.Profile == Profile[v]))
                {
                    forbidden.Add((RequestOf[s], v));
                }
            }

            foreach (var rule in access)
            {
                if (rule.During is not { } during)
                {
                    continue;
                }

                var open = AccessOpen[rule.Profile] ??= (long[])Open.Clone();
                var close = AccessClose[rule.Profile] ??= (long[])Close.Clone();
                open[s] = Math.Max(open[s], Up(during.Open));
                close[s] = Math.Min(close[s], Down(during.Close));
            }
        }
    }

    private void CompilePrevious(ProblemData problem)
    {
        PrevVehicle = new int[RequestCount];
        Array.Fill(PrevVehicle, -1);
        PrevCount = new int[VehicleCount];
        Started = new bool[VehicleCount];
        FixedHead = new int[VehicleCount][];
        Array.Fill(FixedHead, []);
        FixedCount = new int[VehicleCount];
        Pinned = new bool[RequestCount];
        if (problem.Previous is not { } previous)
        {
            return;
        }

        MoveCost = (long)Math.Round(previous.MoveCost * CostScale);
        MaxChanges = previous.MaxStartedChanges;
        foreach (var route in previous.Routes)
        {
            var v = route.Vehicle;
            Started[v] = route.IsStarted;
            var head = new List<int>(route.Stops.Take(route.Fixed));
            foreach (var s in head.ToList())
            {
                Pinned[RequestOf[s]] = true;
            }

            // The other stop of a request begun in the head follows the head (a parcel picked up is carried on).
            foreach (var s in route.Stops.Skip(route.Fixed))
            {
                if (Pinned[RequestOf[s]])
                {
                    head.Add(s);
                }
            }

            FixedHead[v] = [.. head];
            FixedCount[v] = route.Fixed;
            foreach (var s in head.Take(route.Fixed))
            {
                // A fixed stop is done whatever its window says: the courier is on the way.
                Close[s] = Never;
                foreach (var close in AccessClose)
                {
                    if (close is not null)
                    {
                        close[s] = Never;
                    }
                }
            }

            foreach (var s in route.Stops)
            {
                var r = RequestOf[s];
                if (PrevVehicle[r] < 0)
                {
                    PrevVehicle[r] = v;
                    PrevCount[v]++;
                }
            }
        }
    }
}
