using Logistics.Dispatch.Search;

namespace Logistics.Dispatch.Construction;

/// <summary>
/// Requests that no vehicle could serve even alone (an empty route: start, pickup, delivery, end) are set
/// aside before the search, each with the reason, so the search never chases them.
/// </summary>
internal static class Unplaceable
{
    public static (List<int> Placeable, List<UnassignedRequest> Refused) Split(Compiled problem)
    {
        var placeable = new List<int>();
        var refused = new List<UnassignedRequest>();
        var empties = Enumerable.Range(0, problem.VehicleCount).Select(v => new Route(problem, v)).ToArray();
        var rng = new Rng(0);
        var maxCapacity = problem.VehicleCount == 0 ? 0 : problem.Cap.Max();
        for (var r = 0; r < problem.RequestCount; r++)
        {
            if (problem.Pinned[r])
            {
                // Begun on a started round: it stays there.
                placeable.Add(r);
                continue;
            }

            var best = Insertion.None;
            foreach (var route in empties)
            {
                if (problem.Problem.Requests[r].Vehicles is null && problem.EmptyGroup[route.Vehicle] != route.Vehicle)
                {
                    continue;
                }

                BestInsertion.Evaluate(route, r, rng, 0, 0, ref best);
            }

            if (best.Found)
            {
                placeable.Add(r);
            }
            else if (problem.Problem.Requests[r].Vehicles is { } allowed && (allowed.Count == 0 || allowed.All(v => problem.Cap[v] < problem.Demand[r])))
            {
                refused.Add(new UnassignedRequest(r, UnassignedReason.NoAllowedVehicle,
                    allowed.Count == 0 ? "It allows no vehicle." : $"Its demand {problem.Demand[r]} is over the capacity of every vehicle it allows."));
            }
            else if (NoProfileAllowed(problem, r))
            {
                refused.Add(new UnassignedRequest(r, UnassignedReason.NoAccess,
                    "None of the vehicles may reach one of its stops (no profile of the fleet is allowed there)."));
            }
            else if (problem.Demand[r] > maxCapacity)
            {
                refused.Add(new UnassignedRequest(r, UnassignedReason.OverEveryCapacity,
                    $"Demand {problem.Demand[r]} is over every vehicle's capacity (largest {maxCapacity})."));
            }
            else if (FitsWithoutWalk(problem, empties, r, rng))
            {
                refused.Add(AccessHours(problem, r)
                    ? new UnassignedRequest(r, UnassignedReason.NoAccess, "No vehicle allowed at its stops can be there within the hours its profile is allowed, inside the windows.")
                    : new UnassignedRequest(r, UnassignedReason.OverShiftLength, "It fits the windows, but no vehicle can serve it within its maximum shift length and its break."));
            }
            else
            {
                refused.Add(new UnassignedRequest(r, UnassignedReason.WindowUnreachable,
                    "No vehicle can reach its stops within their windows and be back by the end of its shift, even carrying nothing else."));
            }
        }

        return (placeable, refused);
    }

    private static bool NoProfileAllowed(Compiled problem, int r)
    {
        var stops = problem.Pickup[r] >= 0 ? new[] { problem.Pickup[r], problem.Delivery[r] } : [problem.Delivery[r]];
        var profiles = Enumerable.Range(0, problem.VehicleCount).Select(v => problem.Profile[v]).Distinct();
        return !profiles.Any(p => stops.All(s => problem.Problem.Stops[s].Access is not { } access || access.Any(a => a.Profile == p)));
    }

    private static bool AccessHours(Compiled problem, int r)
    {
        var stops = problem.Pickup[r] >= 0 ? new[] { problem.Pickup[r], problem.Delivery[r] } : [problem.Delivery[r]];
        return stops.Any(s => problem.Problem.Stops[s].Access?.Any(a => a.During is not null) == true);
    }

    // Placeable when the walked rules (access hours, shift length, break) are left aside: one of those is the reason.
    private static bool FitsWithoutWalk(Compiled problem, Route[] empties, int r, Rng rng)
    {
        var best = Insertion.None;
        foreach (var route in empties)
        {
            BestInsertion.Evaluate(route, r, rng, 0, 0, ref best, walk: false);
        }

        return best.Found;
    }
}
