namespace Logistics.Dispatch.Search;

/// <summary>
/// SISR's ruin (Christiaens &amp; Vanden Berghe, "Slack induction by string removals", 2020), for pairs:
/// strings of consecutive stops are cut from routes near a random seed stop, and every request with a stop
/// in a string leaves with both its stops. The split-string variant keeps a short run inside the cut.
/// </summary>
internal sealed class Ruin(Compiled problem, SolverParameters parameters)
{
    private readonly List<int> _removed = [];
    private readonly bool[] _flags = new bool[problem.RequestCount];
    private readonly bool[] _marked = new bool[problem.RequestCount];
    private readonly bool[] _ruinedRoute = new bool[problem.VehicleCount];

    /// <summary>Ruins around a random stop; <paramref name="scale"/> multiplies the average number removed (a wider neighbourhood when the search stagnates).</summary>
    /// <param name="seedStop">Where to ruin around (a stop of a request left out, to make room near it); -1 for a random routed stop.</param>
    public void Apply(WorkingSolution solution, Rng rng, double scale = 1, int seedStop = -1)
    {
        var routes = solution.Routes;
        int used = 0, stops = 0;
        foreach (var route in routes)
        {
            if (!route.IsEmpty)
            {
                used++;
                stops += route.StopCount;
            }
        }

        if (used == 0)
        {
            return;
        }

        var maxString = Math.Min(parameters.MaxStringLength, (double)stops / used);
        // A request has two stops: SISR's average in customers becomes twice as many stops.
        var maxStrings = (4 * 2 * parameters.AverageRemoved * scale / (1 + maxString)) - 1;
        var strings = (int)Math.Floor((rng.NextDouble() * maxStrings) + 1);
        var seed = seedStop >= 0 ? seedStop : PickStop(solution, rng, stops);
        Array.Clear(_ruinedRoute);
        _removed.Clear();
        var ruined = 0;
        var neighbours = problem.Neighbours[seed];
        for (var k = -1; k < neighbours.Length && ruined < strings; k++)
        {
            var stop = k < 0 ? seed : neighbours[k];
            var v = solution.RouteOf[problem.RequestOf[stop]];
            if (v < 0 || _ruinedRoute[v])
            {
                continue;
            }

            _ruinedRoute[v] = true;
            ruined++;
            var route = routes[v];
            var position = Array.IndexOf(route.Nodes, stop, 1, route.Count - 2);
            var cardinality = route.StopCount;
            var length = (int)Math.Floor((rng.NextDouble() * Math.Min(cardinality, maxString)) + 1);
            if (length < cardinality && rng.NextDouble() < 0.5)
            {
                SplitString(route, position, length, rng);
            }
            else
            {
                RemoveString(route, position, length, rng);
            }
        }

        foreach (var r in _removed)
        {
            _marked[r] = false;
        }

        solution.Remove(_removed, _flags);
    }

    private static int PickStop(WorkingSolution solution, Rng rng, int stops)
    {
        var target = rng.Next(stops);
        foreach (var route in solution.Routes)
        {
            if (target < route.StopCount)
            {
                return route.Nodes[target + 1];
            }

            target -= route.StopCount;
        }

        throw new InvalidOperationException("Stop count out of step with the routes.");
    }

    private void RemoveString(Route route, int position, int length, Rng rng)
    {
        var (first, _) = Window(route, position, length, rng);
        for (var k = first; k < first + length; k++)
        {
            Take(route.Nodes[k]);
        }
    }

    private void SplitString(Route route, int position, int length, Rng rng)
    {
        var kept = 1;
        while (length + kept < route.StopCount && rng.NextDouble() < parameters.SplitDepth)
        {
            kept++;
        }

        var total = length + kept;
        var (first, _) = Window(route, position, total, rng);
        var keptStart = first + rng.Next(total - kept + 1);
        for (var k = first; k < first + total; k++)
        {
            if (k < keptStart || k >= keptStart + kept)
            {
                Take(route.Nodes[k]);
            }
        }
    }

    // A window of the given length, inside the route's stops, that contains the position.
    private static (int First, int Last) Window(Route route, int position, int length, Rng rng)
    {
        var lowest = Math.Max(1, position - length + 1);
        var highest = Math.Min(position, route.Count - 1 - length);
        var first = highest <= lowest ? lowest : rng.Next(lowest, highest + 1);
        return (first, first + length - 1);
    }

    private void Take(int node)
    {
        var r = problem.RequestOf[node];
        if (!_marked[r] && !problem.Pinned[r])
        {
            _marked[r] = true;
            _removed.Add(r);
        }
    }
}
