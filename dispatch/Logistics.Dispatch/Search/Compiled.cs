using Logistics.Dispatch.Model;

namespace Logistics.Dispatch.Search;

/// <summary>
/// The problem as the hot loop sees it: scaled integers in flat arrays. Nodes 0..S-1 are the stops; vehicle v's
/// start is node S+2v, its end S+2v+1. Times are rounded so that the scaled schedule is never earlier than the
/// real one (travel and service up, openings up, closings down): what is feasible here is feasible in doubles.
/// </summary>
internal sealed partial class Compiled
{
    private const double Epsilon = 1e-6;
    private bool[]? _allowed;

    public Compiled(ProblemData problem)
    {
        Problem = problem;
        StopCount = problem.Stops.Count;
        VehicleCount = problem.Vehicles.Count;
        RequestCount = problem.Requests.Count;
        Locations = problem.Travel.Locations;
        var nodes = StopCount + (2 * VehicleCount);
        Loc = new int[nodes];
        Open = new long[nodes];
        Close = new long[nodes];
        Service = new long[nodes];
        RequestOf = new int[nodes];
        Array.Fill(RequestOf, -1);
        TimeScale = PickScale(problem);
        for (var s = 0; s < StopCount; s++)
        {
            var stop = problem.Stops[s];
            Loc[s] = stop.Location;
            Open[s] = Up(stop.Window.Open);
            Close[s] = Down(stop.Window.Close);
            Service[s] = Up(stop.ServiceTime);
            RequestOf[s] = problem.RequestOfStop[s];
        }

        Cap = new int[VehicleCount];
        Profile = new int[VehicleCount];
        CostClass = new int[VehicleCount];
        Fixed = new long[VehicleCount];
        for (var v = 0; v < VehicleCount; v++)
        {
            var vehicle = problem.Vehicles[v];
            var (start, end) = (StartNode(v), EndNode(v));
            Loc[start] = vehicle.StartLocation;
            Loc[end] = vehicle.EndLocation;
            Open[start] = Open[end] = Up(vehicle.Shift.Open);
            Close[start] = Close[end] = Down(vehicle.Shift.Close);
            Cap[v] = vehicle.Capacity;
            Profile[v] = vehicle.Profile;
        }

        Pickup = problem.Requests.Select(r => r.Pickup ?? -1).ToArray();
        Delivery = problem.Requests.Select(r => r.Delivery).ToArray();
        Demand = problem.Requests.Select(r => r.Demand).ToArray();
        if (problem.Requests.Any(r => r.Vehicles is not null))
        {
            _allowed = new bool[RequestCount * VehicleCount];
            for (var r = 0; r < RequestCount; r++)
            {
                foreach (var v in problem.Requests[r].Vehicles ?? Enumerable.Range(0, VehicleCount))
                {
                    _allowed[(r * VehicleCount) + v] = true;
                }
            }
        }

        Time = BuildTimes(problem);
        (ArcCost, CostScale) = BuildCosts(problem);
        var forbidden = new List<(int Request, int Vehicle)>();
        CompileRules(problem, forbidden);
        for (var r = 0; r < RequestCount; r++)
        {
            if (Pinned[r])
            {
                forbidden.AddRange(Enumerable.Range(0, VehicleCount).Where(v => v != PrevVehicle[r]).Select(v => (r, v)));
            }
        }

        if (forbidden.Count > 0)
        {
            if (_allowed is null)
            {
                _allowed = new bool[RequestCount * VehicleCount];
                Array.Fill(_allowed, true);
            }

            foreach (var (r, v) in forbidden)
            {
                _allowed[(r * VehicleCount) + v] = false;
            }
        }

        EmptyGroup = BuildEmptyGroups();
        Neighbours = BuildNeighbours();
    }

    public ProblemData Problem { get; }

    public int StopCount { get; }

    public int VehicleCount { get; }

    public int RequestCount { get; }

    public int Locations { get; }

    public double TimeScale { get; }

    public double CostScale { get; private set; }

    public int[] Loc { get; }

    public long[] Open { get; }

    public long[] Close { get; }

    public long[] Service { get; }

    public int[] RequestOf { get; }

    public int[] Pickup { get; }

    public int[] Delivery { get; }

    public int[] Demand { get; }

    public int[] Cap { get; }

    public int[] Profile { get; }

    public int[] CostClass { get; }

    public long[] Fixed { get; }

    /// <summary>Per profile, row-major location × location durations, scaled and rounded up.</summary>
    public int[][] Time { get; }

    /// <summary>Per cost class, row-major location × location arc costs, scaled and rounded to nearest.</summary>
    public int[][] ArcCost { get; }

    /// <summary>For each vehicle, the lowest-indexed vehicle identical to it: only one empty vehicle per group is tried.</summary>
    public int[] EmptyGroup { get; }

    /// <summary>For each stop, other stops by increasing distance (capped), for the string removals.</summary>
    public int[][] Neighbours { get; }

    /// <summary>Whether the request may ride on the vehicle (always, unless the request names its vehicles).</summary>
    public bool Allows(int request, int vehicle) => _allowed is null || _allowed[(request * VehicleCount) + vehicle];

    public int StartNode(int vehicle) => StopCount + (2 * vehicle);

    public int EndNode(int vehicle) => StopCount + (2 * vehicle) + 1;

    private long Up(double value) => value >= double.MaxValue / 8 ? long.MaxValue / 4 : (long)Math.Ceiling((value * TimeScale) - Epsilon);

    private long Down(double value) => value >= double.MaxValue / 8 ? long.MaxValue / 4 : (long)Math.Floor((value * TimeScale) + Epsilon);

    // The largest power of ten up to 10^4 that keeps every matrix duration inside an int.
    private static double PickScale(ProblemData problem)
    {
        var max = 0.0;
        var n = problem.Travel.Locations;
        for (var p = 0; p < problem.Travel.Profiles; p++)
        {
            for (var a = 0; a < n; a++)
            {
                for (var b = 0; b < n; b++)
                {
                    max = Math.Max(max, problem.Travel.Duration(p, a, b));
                }
            }
        }

        var scale = 1e4;
        while (scale > 1e-3 && max * scale > 1e9)
        {
            scale /= 10;
        }

        return scale;
    }

    private int[][] BuildTimes(ProblemData problem)
    {
        var n = Locations;
        var times = new int[problem.Travel.Profiles][];
        for (var p = 0; p < times.Length; p++)
        {
            var row = times[p] = new int[n * n];
            for (var a = 0; a < n; a++)
            {
                for (var b = 0; b < n; b++)
                {
                    row[(a * n) + b] = (int)Math.Max(0, Math.Ceiling((problem.Travel.Duration(p, a, b) * TimeScale) - Epsilon));
                }
            }
        }

        return times;
    }
}
