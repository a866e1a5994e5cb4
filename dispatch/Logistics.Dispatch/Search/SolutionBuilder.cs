using Logistics.Dispatch.Model;

namespace Logistics.Dispatch.Search;

/// <summary>Turns the working solution back into the public result, recomputing times and costs in double precision.</summary>
internal static class SolutionBuilder
{
    public static Solution Build(ProblemData problem, WorkingSolution solution, IReadOnlyList<UnassignedRequest> refused, long iterations)
    {
        var routes = new List<PlannedRoute>();
        double cost = 0, distance = 0;
        foreach (var route in solution.Routes)
        {
            if (route.IsEmpty)
            {
                continue;
            }

            var stops = route.Nodes[1..(route.Count - 1)];
            var planned = Plan(problem, route.Vehicle, stops);
            routes.Add(planned.Route);
            distance += planned.Route.Distance;
            cost += planned.Cost;
        }

        var unassigned = refused.Concat(solution.Absent.Order().Select(r => new UnassignedRequest(r, UnassignedReason.NoRoomLeft,
            "It fits a vehicle on its own, but no room was found for it beside the other requests with this fleet.")))
            .OrderBy(u => u.Request)
            .ToList();
        if (problem.Objective is Objective.VehiclesThenDistance)
        {
            cost = distance;
        }

        return new Solution(routes, unassigned, cost, distance, iterations);
    }

    /// <summary>The earliest schedule of a vehicle over the given stops, in doubles.</summary>
    public static (PlannedRoute Route, double Cost) Plan(ProblemData problem, int vehicleIndex, IReadOnlyList<int> stops)
    {
        var vehicle = problem.Vehicles[vehicleIndex];
        var travel = problem.Travel;
        var costs = vehicle.CostsOrDefault;
        var starts = new List<double>(stops.Count);
        var location = vehicle.StartLocation;
        var time = vehicle.Shift.Open;
        var service = 0.0;
        double distance = 0, driving = 0;
        foreach (var s in stops)
        {
            var stop = problem.Stops[s];
            var leg = travel.Duration(vehicle.Profile, location, stop.Location);
            distance += travel.Distance(location, stop.Location);
            driving += leg;
            time = Math.Max(stop.Window.Open, time + service + leg);
            starts.Add(time);
            service = stop.ServiceTime;
            location = stop.Location;
        }

        var back = travel.Duration(vehicle.Profile, location, vehicle.EndLocation);
        distance += travel.Distance(location, vehicle.EndLocation);
        driving += back;
        var end = time + service + back;
        var cost = costs.Fixed + (costs.PerDistance * distance) + (costs.PerTime * driving);
        return (new PlannedRoute(vehicleIndex, stops.ToArray(), starts, distance, end), cost);
    }
}
