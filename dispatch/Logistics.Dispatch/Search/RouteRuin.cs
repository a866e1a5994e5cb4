namespace Logistics.Dispatch.Search;

/// <summary>
/// Route-based ruin (as in adaptive large neighbourhood search for the PDPTW, Ropke &amp; Pisinger 2006): every
/// request of the route through a random stop leaves. On instances with a few long routes, string removals touch
/// a small share of each route; emptying one lets the recreate rebuild its whole area against its neighbours.
/// </summary>
internal sealed class RouteRuin(Compiled problem)
{
    private readonly List<int> _removed = [];
    private readonly bool[] _flags = new bool[problem.RequestCount];
    private readonly bool[] _marked = new bool[problem.RequestCount];

    /// <summary>Empties the route of a random stop unless it has more than <paramref name="maxStops"/> stops; returns whether it did.</summary>
    public bool Apply(WorkingSolution solution, Rng rng, int maxStops)
    {
        var stops = 0;
        foreach (var route in solution.Routes)
        {
            stops += route.StopCount;
        }

        if (stops == 0)
        {
            return false;
        }

        var target = rng.Next(stops);
        Route? chosen = null;
        foreach (var route in solution.Routes)
        {
            if (target < route.StopCount)
            {
                chosen = route;
                break;
            }

            target -= route.StopCount;
        }

        if (chosen is null || chosen.StopCount > maxStops)
        {
            return false;
        }

        _removed.Clear();
        for (var k = 1; k < chosen.Count - 1; k++)
        {
            var r = problem.RequestOf[chosen.Nodes[k]];
            if (!_marked[r] && !problem.Pinned[r])
            {
                _marked[r] = true;
                _removed.Add(r);
            }
        }

        foreach (var r in _removed)
        {
            _marked[r] = false;
        }

        solution.Remove(_removed, _flags);
        return true;
    }
}
