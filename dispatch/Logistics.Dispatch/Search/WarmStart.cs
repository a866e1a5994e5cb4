namespace Logistics.Dispatch.Search;

/// <summary>
/// A re-plan starts from the previous plan: each vehicle's previous stops (after its fixed head) go back in their
/// previous order when the route is still feasible that way; otherwise only its head stays and the recreate places
/// the rest. The search then moves a request only when that pays for its move cost.
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
        var stops = new List<int>();
        foreach (var plan in previous.Routes)
        {
            var v = plan.Vehicle;
            var route = solution.Routes[v];
            stops.Clear();
            stops.AddRange(c.FixedHead[v]);
            foreach (var s in plan.Stops)
            {
                var r = c.RequestOf[s];
                if (!c.Pinned[r] && placeableSet.Contains(r) && c.Allows(r, v))
                {
                    stops.Add(s);
                }
            }

            route.Replace(stops.ToArray());
            if (!route.Feasible)
            {
                route.Replace(c.FixedHead[v]);
                continue;
            }

            foreach (var s in stops)
            {
                solution.RouteOf[c.RequestOf[s]] = v;
            }
        }
    }
}
