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
        var empties = Enumerable.Range(0, problem.VehicleCount)
            .Where(v => problem.EmptyGroup[v] == v)
            .Select(v => new Route(problem, v))
            .ToArray();
        var rng = new Rng(0);
        var maxCapacity = problem.VehicleCount == 0 ? 0 : problem.Cap.Max();
        for (var r = 0; r < problem.RequestCount; r++)
        {
            var best = Insertion.None;
            foreach (var route in empties)
            {
                BestInsertion.Evaluate(route, r, rng, 0, 0, ref best);
            }

            if (best.Found)
            {
                placeable.Add(r);
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
