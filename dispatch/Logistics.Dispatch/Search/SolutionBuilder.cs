using Logistics.Dispatch.Model;

namespace Logistics.Dispatch.Search;

/// <summary>Turns the working solution back into the public result, recomputing times and costs in double precision.</summary>
internal static class SolutionBuilder
{
    public static Solution Build(ProblemData problem, WorkingSolution solution, IReadOnlyList<UnassignedRequest> refused, long iterations)
    {
        var routes = new List<PlannedRoute>();
        var late = new List<LateStop>();
        double cost = 0, distance = 0;
        foreach (var route in solution.Routes)
        {
            if (route.IsEmpty)
            {
                continue;
            }

            var stops = route.Nodes[1..(route.Count - 1)];
            var planned = Plan(problem, route.Vehicle, stops, route.BreakAfter - 1, late);
            routes.Add(planned.Route);
            distance += planned.Route.Distance;
            cost += planned.Cost;
        }

        var unassigned = refused.Concat(solution.Absent.Order().Select(r => new UnassignedRequest(r, UnassignedReason.NoRoomLeft,
            "Deferred: it fits a vehicle on its own, but no room was found for it beside the other requests with this fleet.")))
            .OrderBy(u => u.Request)
            .ToList();
        if (problem.Objective is Objective.VehiclesThenDistance)
        {
            cost = distance;
        }

        cost += late.Sum(l => l.Price) + (problem.Previous?.MoveCost ?? 0) * Moved(problem, routes);
        return new Solution(routes, unassigned, cost, distance, iterations) { Late = late, Changes = Changes(problem, routes) };
    }

    /// <summary>The earliest schedule of a vehicle over the given stops, in doubles, with its break after stop position <paramref name="breakAfter"/> (-1 before the first stop, below that none).</summary>
    private static (PlannedRoute Route, double Cost) Plan(ProblemData problem, int vehicleIndex, IReadOnlyList<int> stops, int breakAfter, List<LateStop> late)
    {
        var vehicle = problem.Vehicles[vehicleIndex];
        var travel = problem.Travel;
        var costs = vehicle.CostsOrDefault;
        var starts = new List<double>(stops.Count);
        var location = vehicle.StartLocation;
        var time = vehicle.Shift.Open;
        var departure = time;
        var service = 0.0;
        double distance = 0, driving = 0;
        RouteBreak? rest = null;
        for (var k = 0; k < stops.Count; k++)
        {
            var stop = problem.Stops[stops[k]];
            if (vehicle.Break is { } rule && k - 1 == breakAfter && breakAfter >= -1 && rest is null)
            {
                rest = new RouteBreak(k - 1, time + service, rule.Length);
                time += rule.Length;
            }

            var leg = travel.Duration(vehicle.Profile, location, stop.Location);
            distance += travel.Distance(location, stop.Location);
            driving += leg;
            time = Math.Max(Open(stop, vehicle.Profile), time + service + leg);
            if (k == 0)
            {
                departure = Math.Max(vehicle.Shift.Open, time - leg);
            }

            starts.Add(time);
            if (stop.Due is { } due && time > due)
            {
                var r = problem.RequestOfStop[stops[k]];
                late.Add(new LateStop(r, stops[k], vehicleIndex, time - due, (time - due) * stop.LatenessPrice));
            }

            service = stop.ServiceTime;
            location = stop.Location;
        }

        if (vehicle.Break is { } last && breakAfter == stops.Count - 1 && rest is null)
        {
            rest = new RouteBreak(stops.Count - 1, time + service, last.Length);
            time += last.Length;
        }

        var back = travel.Duration(vehicle.Profile, location, vehicle.EndLocation);
        distance += travel.Distance(location, vehicle.EndLocation);
        driving += back;
        var end = time + service + back;
        var cost = costs.Fixed + (costs.PerDistance * distance) + (costs.PerTime * driving);
        return (new PlannedRoute(vehicleIndex, stops.ToArray(), starts, distance, end) { Departure = departure, Break = rest }, cost);
    }

    // Service may start at a stop once its window, and its access hours for the vehicle's profile, are open.
    private static double Open(Stop stop, int profile) =>
        stop.Access?.FirstOrDefault(a => a.Profile == profile)?.During is { } during ? Math.Max(stop.Window.Open, during.Open) : stop.Window.Open;

    private static int Moved(ProblemData problem, List<PlannedRoute> routes)
    {
        var previous = PreviousVehicles(problem);
        return routes.Sum(route => route.Stops.Count(s =>
            problem.Requests[problem.RequestOfStop[s]].Delivery == s && previous.TryGetValue(problem.RequestOfStop[s], out var v) && v != route.Vehicle));
    }

    private static Dictionary<int, int> PreviousVehicles(ProblemData problem)
    {
        var previous = new Dictionary<int, int>();
        foreach (var route in problem.Previous?.Routes ?? [])
        {
            foreach (var s in route.Stops)
            {
                previous.TryAdd(problem.RequestOfStop[s], route.Vehicle);
            }
        }

        return previous;
    }

    private static List<RouteChange> Changes(ProblemData problem, List<PlannedRoute> routes)
    {
        if (problem.Previous is not { } plan)
        {
            return [];
        }

        var before = PreviousVehicles(problem);
        var now = new Dictionary<int, int>();
        foreach (var route in routes)
        {
            foreach (var s in route.Stops)
            {
                now.TryAdd(problem.RequestOfStop[s], route.Vehicle);
            }
        }

        var started = plan.Routes.Where(r => r.IsStarted).Select(r => r.Vehicle).ToHashSet();
        var vehicles = before.Values.Concat(now.Values).Distinct().Order();
        var changes = new List<RouteChange>();
        foreach (var v in vehicles)
        {
            var added = now.Where(p => p.Value == v && (!before.TryGetValue(p.Key, out var b) || b != v))
                .Select(p => new RequestMove(p.Key, before.TryGetValue(p.Key, out var from) ? from : null, v)).OrderBy(m => m.Request).ToList();
            var removed = before.Where(p => p.Value == v && (!now.TryGetValue(p.Key, out var n) || n != v))
                .Select(p => new RequestMove(p.Key, v, now.TryGetValue(p.Key, out var to) ? to : null)).OrderBy(m => m.Request).ToList();
            if (added.Count + removed.Count > 0)
            {
                changes.Add(new RouteChange(v, added, removed, started.Contains(v)));
            }
        }

        return changes;
    }
}
