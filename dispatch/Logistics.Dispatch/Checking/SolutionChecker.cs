using Logistics.Dispatch.Model;

namespace Logistics.Dispatch.Checking;

/// <summary>
/// An independent check of any solution, sharing no code with the search: it walks each route in double
/// precision from the problem's own matrix and reports pairing, precedence, capacity, time windows and the
/// vehicle's shift end; the rules couriers live with: access by profile and hours, the break (where the solution
/// says it is taken), the maximum shift length, lateness after soft deadlines (priced, not a violation); and for a
/// re-plan, the fixed heads of started rounds and their allowance of changes. Requests named as excused (reported
/// unassigned) may be missing; any other is a violation. Derived limits (break start, shift length) allow 1e-3 time
/// units, for the solver's scaled-integer rounding.
/// </summary>
public static class SolutionChecker
{
    private const double Tolerance = 1e-6;
    private const double RuleTolerance = 1e-3;

    public static CheckReport Check(ProblemData problem, Solution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        return Check(problem, solution.Routes.Select(r => (r.Vehicle, r.Stops)).ToList(), solution.Unassigned.Select(u => u.Request),
            solution.Routes.Where(r => r.Break is not null).ToDictionary(r => r.Vehicle, r => r.Break!));
    }

    public static CheckReport Check(ProblemData problem, IReadOnlyList<(int Vehicle, IReadOnlyList<int> Stops)> routes, IEnumerable<int>? excused = null, IReadOnlyDictionary<int, RouteBreak>? breaks = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(routes);
        var violations = new List<Violation>();
        var routeOf = new int[problem.Stops.Count];
        var positionOf = new int[problem.Stops.Count];
        Array.Fill(routeOf, -1);
        var vehiclesSeen = new HashSet<int>();
        var distance = 0.0;
        var used = 0;
        var lateness = new Lateness();
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
                distance += Walk(problem, vehicle, stops, breaks?.GetValueOrDefault(vehicle), violations, lateness);
            }
        }

        CheckPairs(problem, routeOf, positionOf, excused, violations);
        CheckPrevious(problem, routes, violations);
        return new CheckReport(violations, used, distance) { Lateness = lateness.Time, LatenessPrice = lateness.Price };
    }

    private sealed class Lateness
    {
        public double Time { get; set; }

        public double Price { get; set; }
    }

    // A started round keeps its fixed head in order and changes by at most the allowance (requests added or taken away).
    private static void CheckPrevious(ProblemData problem, IReadOnlyList<(int Vehicle, IReadOnlyList<int> Stops)> routes, List<Violation> violations)
    {
        if (problem.Previous is not { } plan)
        {
            return;
        }

        var now = new Dictionary<int, HashSet<int>>();
        foreach (var (vehicle, stops) in routes)
        {
            now[vehicle] = stops.Where(s => s >= 0 && s < problem.Stops.Count).Select(s => problem.RequestOfStop[s]).ToHashSet();
        }

        foreach (var previous in plan.Routes)
        {
            var stops = routes.FirstOrDefault(r => r.Vehicle == previous.Vehicle).Stops ?? [];
            if (!stops.Take(previous.Fixed).SequenceEqual(previous.Stops.Take(previous.Fixed)))
            {
                violations.Add(new(ViolationKind.FixedStopsChanged, $"Vehicle {previous.Vehicle} does not begin with the {previous.Fixed} fixed stops of its started round."));
            }

            if (!previous.IsStarted)
            {
                continue;
            }

            var before = previous.Stops.Select(s => problem.RequestOfStop[s]).ToHashSet();
            var after = now.GetValueOrDefault(previous.Vehicle) ?? [];
            var changes = after.Count(r => !before.Contains(r)) + before.Count(r => !after.Contains(r));
            if (changes > plan.MaxStartedChanges)
            {
                violations.Add(new(ViolationKind.TooManyChanges, $"Vehicle {previous.Vehicle}'s started round changes by {changes} requests, over the {plan.MaxStartedChanges} allowed."));
            }
        }
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
    private static double Walk(ProblemData problem, int vehicleIndex, IReadOnlyList<int> stops, RouteBreak? rest, List<Violation> violations, Lateness lateness)
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
        var departure = clock;
        var distance = 0.0;
        for (var position = 0; position < stops.Count; position++)
        {
            var s = stops[position];
            var stop = problem.Stops[s];
            if (rest is not null && rest.AfterPosition == position - 1)
            {
                clock = TakeBreak(vehicleIndex, clock, rest, violations);
            }

            var (open, close) = (stop.Window.Open, stop.Window.Close);
            if (stop.Access is { } access)
            {
                if (access.FirstOrDefault(a => a.Profile == vehicle.Profile) is not { } permitted)
                {
                    violations.Add(new(ViolationKind.NoAccess, $"Vehicle {vehicleIndex} (profile {vehicle.Profile}) serves stop {s}, which its profile may not reach."));
                }
                else if (permitted.During is { } during)
                {
                    (open, close) = (Math.Max(open, during.Open), Math.Min(close, during.Close));
                }
            }

            var leg = problem.Travel.Duration(vehicle.Profile, at, stop.Location);
            distance += problem.Travel.Distance(at, stop.Location);
            clock = Math.Max(clock + leg, open);
            if (position == 0)
            {
                departure = Math.Max(vehicle.Shift.Open, clock - leg - (rest?.AfterPosition == -1 ? rest.Length : 0));
            }

            if (clock > close + Tolerance)
            {
                violations.Add(new(ViolationKind.WindowMissed, $"Vehicle {vehicleIndex} starts stop {s} at {clock:F4}, after its window (or its profile's access hours) closes at {close}."));
            }

            if (stop.Due is { } due && clock > due)
            {
                lateness.Time += clock - due;
                lateness.Price += (clock - due) * stop.LatenessPrice;
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

        if (rest is not null && rest.AfterPosition == stops.Count - 1)
        {
            clock = TakeBreak(vehicleIndex, clock, rest, violations);
        }

        distance += problem.Travel.Distance(at, vehicle.EndLocation);
        clock += problem.Travel.Duration(vehicle.Profile, at, vehicle.EndLocation);
        if (stops.Count > 0 && clock > vehicle.Shift.Close + Tolerance)
        {
            violations.Add(new(ViolationKind.BackAfterShift, $"Vehicle {vehicleIndex} is back at {clock:F4}, after its shift ends at {vehicle.Shift.Close}."));
        }

        if (stops.Count > 0)
        {
            CheckShift(vehicleIndex, vehicle, departure, clock, rest, violations);
        }

        return distance;
    }

    // The break starts once the stop before it is done, and lasts its length.
    private static double TakeBreak(int vehicleIndex, double clock, RouteBreak rest, List<Violation> violations)
    {
        if (rest.Start < clock - Tolerance)
        {
            violations.Add(new(ViolationKind.BreakLate, $"Vehicle {vehicleIndex}'s break starts at {rest.Start:F4}, before the stop it follows is done ({clock:F4})."));
        }

        return Math.Max(clock, rest.Start) + rest.Length;
    }

    private static void CheckShift(int vehicleIndex, Vehicle vehicle, double departure, double back, RouteBreak? rest, List<Violation> violations)
    {
        if (vehicle.MaxDuration is { } max && back - departure > max + RuleTolerance)
        {
            violations.Add(new(ViolationKind.ShiftTooLong, $"Vehicle {vehicleIndex} leaves at {departure:F4} and is back at {back:F4}, longer than its {max} allowed."));
        }

        if (vehicle.Break is not { } rule)
        {
            return;
        }

        var limit = departure + rule.After;
        if (rest is null)
        {
            if (back > limit + RuleTolerance)
            {
                violations.Add(new(ViolationKind.BreakMissing, $"Vehicle {vehicleIndex} works from {departure:F4} to {back:F4} without its break, due by {limit:F4}."));
            }
        }
        else if (rest.Length < rule.Length - Tolerance || rest.Start > limit + RuleTolerance)
        {
            violations.Add(new(ViolationKind.BreakLate, $"Vehicle {vehicleIndex}'s break of {rest.Length} starts at {rest.Start:F4}; it must last {rule.Length} and start by {limit:F4}."));
        }
    }
}
