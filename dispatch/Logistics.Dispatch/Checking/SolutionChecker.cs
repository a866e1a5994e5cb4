using Logistics.Dispatch.Model;

namespace Logistics.Dispatch.Checking;

/// <summary>
/// An independent check of any solution, sharing no code with the search: it walks each route in double
/// precision from the problem's own matrix and reports pairing, precedence, capacity, time windows and the
/// vehicle's shift end. Requests named as excused (reported unassigned) may be missing; any other is a violation.
/// </summary>
public static class SolutionChecker
{
    private const double Tolerance = 1e-6;

    public static CheckReport Check(ProblemData problem, Solution solution) =>
        Check(problem, solution.Routes.Select(r => (r.Vehicle, r.Stops)).ToList(), solution.Unassigned.Select(u => u.Request));

    public static CheckReport Check(ProblemData problem, IReadOnlyList<(int Vehicle, IReadOnlyList<int> Stops)> routes, IEnumerable<int>? excused = null)
    {
        var violations = new List<Violation>();
        var routeOf = new int[problem.Stops.Count];
        var positionOf = new int[problem.Stops.Count];
        Array.Fill(routeOf, -1);
        var vehiclesSeen = new HashSet<int>();
        var distance = 0.0;
        var used = 0;
        for (var k = 0; k < routes.Count; k++)
        {
            var (vehicle, stops) = routes[k];
            if (vehicle < 0 || vehicle >= problem.Vehicles.Count)
            {
                violations.Add(new(ViolationKind.UnknownVehicle, $"Route {k} names vehicle {vehicle}, which does not exist."));
                continue;
            }

            if (!vehiclesSeen.Add(vehicle))
            {
                violations.Add(new(ViolationKind.VehicleUsedTwice, $"Vehicle {vehicle} drives two routes."));
            }

            if (stops.Count > 0)
            {
                used++;
            }

            var valid = true;
            for (var position = 0; position < stops.Count; position++)
            {
                var s = stops[position];
                if (s < 0 || s >= problem.Stops.Count)
                {
                    violations.Add(new(ViolationKind.UnknownStop, $"Vehicle {vehicle} visits stop {s}, which does not exist."));
                    valid = false;
                }
                else if (routeOf[s] >= 0)
                {
                    violations.Add(new(ViolationKind.StopVisitedTwice, $"Stop {s} is visited twice."));
                    valid = false;
                }
                else
                {
                    routeOf[s] = k;
                    positionOf[s] = position;
                }
            }

            if (valid)
            {
                distance += Walk(problem, vehicle, stops, violations);
            }
        }

        CheckPairs(problem, routeOf, positionOf, excused, violations);
        return new CheckReport(violations, used, distance);
    }

    private static void CheckPairs(ProblemData problem, int[] routeOf, int[] positionOf, IEnumerable<int>? excused, List<Violation> violations)
    {
        var excusedSet = excused?.ToHashSet() ?? [];
        for (var r = 0; r < problem.Requests.Count; r++)
        {
            var request = problem.Requests[r];
            var deliveryRoute = routeOf[request.Delivery];
            var pickupRoute = request.Pickup is { } p ? routeOf[p] : deliveryRoute;
            if (deliveryRoute < 0 && pickupRoute < 0)
            {
                if (!excusedSet.Contains(r))
                {
                    violations.Add(new(ViolationKind.RequestNotServed, $"Request {r} is neither served nor reported unassigned."));
                }
            }
            else if (deliveryRoute != pickupRoute)
            {
                violations.Add(new(ViolationKind.PairSplit, $"Request {r} is picked up on one route and delivered on another (or only half served)."));
            }
            else if (request.Pickup is { } pickup && positionOf[pickup] > positionOf[request.Delivery])
            {
                violations.Add(new(ViolationKind.DeliveryBeforePickup, $"Request {r} is delivered before it is picked up."));
            }
        }
    }

    // Load and schedule along one route; returns its distance.
    private static double Walk(ProblemData problem, int vehicleIndex, IReadOnlyList<int> stops, List<Violation> violations)
    {
        var vehicle = problem.Vehicles[vehicleIndex];
        var load = 0;
        foreach (var s in stops)
        {
            var request = problem.Requests[problem.RequestOfStop[s]];
            if (request.Pickup is null)
            {
                load += request.Demand;
            }
        }

        if (load > vehicle.Capacity)
        {
            violations.Add(new(ViolationKind.CapacityExceeded, $"Vehicle {vehicleIndex} leaves with {load} on board, over its capacity {vehicle.Capacity}."));
        }

        var at = vehicle.StartLocation;
        var clock = vehicle.Shift.Open;
        var distance = 0.0;
        foreach (var s in stops)
        {
            var stop = problem.Stops[s];
            distance += problem.Travel.Distance(at, stop.Location);
            clock = Math.Max(clock + problem.Travel.Duration(vehicle.Profile, at, stop.Location), stop.Window.Open);
            if (clock > stop.Window.Close + Tolerance)
            {
                violations.Add(new(ViolationKind.WindowMissed, $"Vehicle {vehicleIndex} starts stop {s} at {clock:F4}, after its window closes at {stop.Window.Close}."));
            }

            clock += stop.ServiceTime;
            var request = problem.Requests[problem.RequestOfStop[s]];
            if (request.Vehicles is { } allowed && !allowed.Contains(vehicleIndex))
            {
                violations.Add(new(ViolationKind.VehicleNotAllowed, $"Vehicle {vehicleIndex} serves stop {s}, whose request does not allow it."));
            }

            load += request.Pickup == s ? request.Demand : -request.Demand;
            if (load > vehicle.Capacity)
            {
                violations.Add(new(ViolationKind.CapacityExceeded, $"Vehicle {vehicleIndex} carries {load} after stop {s}, over its capacity {vehicle.Capacity}."));
            }

            at = stop.Location;
        }

        distance += problem.Travel.Distance(at, vehicle.EndLocation);
        clock += problem.Travel.Duration(vehicle.Profile, at, vehicle.EndLocation);
        if (stops.Count > 0 && clock > vehicle.Shift.Close + Tolerance)
        {
            violations.Add(new(ViolationKind.BackAfterShift, $"Vehicle {vehicleIndex} is back at {clock:F4}, after its shift ends at {vehicle.Shift.Close}."));
        }

        return distance;
    }
}
