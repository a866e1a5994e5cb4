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
            else if (problem.Demand[r] > maxCapacity)
            {
                refused.Add(new UnassignedRequest(r, UnassignedReason.OverEveryCapacity,
                    $"Demand {problem.Demand[r]} is over every vehicle's capacity (largest {maxCapacity})."));
            }
            else
            {
                refused.Add(new UnassignedRequest(r, UnassignedReason.WindowUnreachable,
                    "No vehicle can reach its stops within their windows and be back by the end of its shift, even carrying nothing else."));
            }
        }

        return (placeable, refused);
    }
}
