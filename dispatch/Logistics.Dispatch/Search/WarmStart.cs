namespace Logistics.Dispatch.Search;

/// <summary>
/// A re-plan starts from the previous plan: each vehicle's previous stops (after its fixed head) go back in their
/// previous order, request by request, as long as the route stays feasible; a request that no longer fits there
/// (its window passed, the courier is late) is left to the recreate. The other stop of a request begun in the head
/// keeps its previous place too (or, if even that fails, follows the head). The search then moves a request only
/// when that pays for its move cost.
/// </summary>
internal static class WarmStart
{
    public static void Apply(WorkingSolution solution, IReadOnlyList<int> placeable)
    {
        var c = solution.Problem;
        if (c.Problem.Previous is not { } previous)
        {
            return;
        }

        var placeableSet = new HashSet<int>(placeable);
        var kept = new HashSet<int>();
        var stops = new List<int>();
        foreach (var plan in previous.Routes)
        {
            var v = plan.Vehicle;
            var route = solution.Routes[v];
            kept.Clear();
            foreach (var node in c.FixedHead[v])
            {
                kept.Add(c.RequestOf[node]);
            }

            Fill(c, plan.Stops, v, kept, stops);
            route.Replace(stops.ToArray());
            if (!route.Feasible)
            {
                // The head and its requests' other stops as the route began: the recreate does the rest.
                route.Replace(c.FixedHead[v]);
                continue;
            }

            foreach (var s in plan.Stops)
            {
                var r = c.RequestOf[s];
                if (c.Pinned[r] || kept.Contains(r) || !placeableSet.Contains(r) || !c.Allows(r, v))
                {
                    continue;
                }

                kept.Add(r);
                Fill(c, plan.Stops, v, kept, stops);
                route.Replace(stops.ToArray());
                if (!route.Feasible)
                {
                    kept.Remove(r);
                }
            }

            Fill(c, plan.Stops, v, kept, stops);
            route.Replace(stops.ToArray());
            foreach (var r in kept)
            {
                solution.RouteOf[r] = v;
            }
        }
    }

    // The fixed head, then the previous stops of the kept requests in their previous order.
    private static void Fill(Compiled c, IReadOnlyList<int> previous, int vehicle, HashSet<int> kept, List<int> stops)
    {
        stops.Clear();
        var fixedCount = c.FixedCount[vehicle];
        stops.AddRange(c.FixedHead[vehicle].Take(fixedCount));
        foreach (var s in previous.Skip(fixedCount))
        {
            if (kept.Contains(c.RequestOf[s]))
            {
                stops.Add(s);
            }
        }
    }
}
