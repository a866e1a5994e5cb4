using Logistics.Dispatch.Search;

namespace Logistics.Dispatch.Construction;

/// <summary>
/// SISR's recreate: the absent requests, sorted by a randomly chosen rule (random, largest demand, farthest,
/// closest, narrowest window), each go to their cheapest position over all allowed routes, with blinks.
/// Empty vehicles are tried once per group of identical vehicles; the allowed mask limits the fleet.
/// The same routine builds the first solution from nothing.
/// </summary>
internal sealed class Recreate(Compiled problem, SolverParameters parameters)
{
    private readonly double[] _keys = new double[problem.RequestCount];
    private readonly int[] _order = new int[problem.RequestCount];
    private readonly int[] _emptySeen = new int[problem.VehicleCount];
    private readonly int[] _near = new int[problem.VehicleCount];
    private int _stamp;

    public void Apply(WorkingSolution solution, Rng rng, bool[] allowed)
    {
        var absent = solution.Absent;
        var count = absent.Count;
        if (count == 0)
        {
            return;
        }

        absent.CopyTo(_order);
        SortOrder(count, rng);
        absent.Clear();
        for (var k = 0; k < count; k++)
        {
            var request = _order[k];
            _stamp++;
            var granular = MarkNearRoutes(solution, request);
            var best = TryRoutes(solution, request, rng, allowed, granular);
            if (!best.Found && granular)
            {
                // No near route had room: fall back to all of them, empty vehicles included, rather than leave it out.
                _stamp++;
                best = TryRoutes(solution, request, rng, allowed, false);
            }

            if (best.Found)
            {
                solution.Apply(request, best);
            }
            else
            {
                absent.Add(request);
            }
        }
    }

    private Insertion TryRoutes(WorkingSolution solution, int request, Rng rng, bool[] allowed, bool granular)
    {
        var best = Insertion.None;
        foreach (var route in solution.Routes)
        {
            if (!allowed[route.Vehicle] || (granular && (route.IsEmpty || _near[route.Vehicle] != _stamp)))
            {
                continue;
            }

            var fixedCost = StabilityDelta(route, request);
            if (fixedCost == long.MaxValue)
            {
                continue;
            }

            if (route.IsEmpty && problem.Allows(request, route.Vehicle))
            {
                var group = problem.EmptyGroup[route.Vehicle];
                if (_emptySeen[group] == _stamp)
                {
                    continue;
                }

                _emptySeen[group] = _stamp;
                fixedCost += problem.Fixed[route.Vehicle];
            }

            // No blinks on an empty vehicle: it is tried once per group, and a blink there could strand the request.
            BestInsertion.Evaluate(route, request, rng, route.IsEmpty ? 0 : parameters.BlinkRate, fixedCost, ref best);
        }

        return best;
    }

    // Stable rounds: a request leaving its previous vehicle pays the move cost; a started round takes no new request
    // past its allowance of changes, and one of its own coming back lowers its excess.
    private long StabilityDelta(Route route, int request)
    {
        if (problem.Problem.Previous is null)
        {
            return 0;
        }

        var v = route.Vehicle;
        var previous = problem.PrevVehicle[request];
        if (previous == v)
        {
            return problem.Started[v] && route.Changes > problem.MaxChanges ? -Compiled.ExcessChangePrice : 0;
        }

        if (problem.Started[v] && route.Changes + 1 > problem.MaxChanges)
        {
            return long.MaxValue;
        }

        return previous >= 0 ? problem.MoveCost : 0;
    }

    // With many routes (a town, not a benchmark), only routes already visiting one of the request's nearest
    // stops are tried: far routes almost never offer the cheapest place, and trying them all is most of the time.
    private bool MarkNearRoutes(WorkingSolution solution, int request)
    {
        if (solution.Routes.Length <= parameters.GranularRouteThreshold || solution.UsedVehicles <= parameters.GranularRouteThreshold)
        {
            return false;
        }

        var found = 0;
        var p = problem.Pickup[request];
        foreach (var stop in p < 0 ? [problem.Delivery[request]] : (int[])[p, problem.Delivery[request]])
        {
            var neighbours = problem.Neighbours[stop];
            for (var k = 0; k < neighbours.Length && k < parameters.GranularNeighbours; k++)
            {
                var v = solution.RouteOf[problem.RequestOf[neighbours[k]]];
                if (v >= 0 && _near[v] != _stamp)
                {
                    _near[v] = _stamp;
                    found++;
                }
            }
        }

        return found > 0;
    }

    private void SortOrder(int count, Rng rng)
    {
        var order = _order.AsSpan(0, count);
        var keys = _keys.AsSpan(0, count);
        var rule = rng.Next(13);
        if (rule < 4)
        {
            rng.Shuffle(order);
            return;
        }

        // Ties keep a random order.
        rng.Shuffle(order);
        for (var k = 0; k < count; k++)
        {
            var r = order[k];
            keys[k] = rule switch
            {
                < 8 => -problem.Demand[r],
                < 10 => -DepotDistance(r),
                < 11 => DepotDistance(r),
                _ => Width(r),
            };
        }

        keys.Sort(order);
    }

    private double DepotDistance(int request)
    {
        var depot = problem.Loc[problem.StartNode(0)];
        var n = problem.Locations;
        var d = problem.Time[0][(depot * n) + problem.Loc[problem.Delivery[request]]];
        var p = problem.Pickup[request];
        return p < 0 ? d : Math.Max(d, problem.Time[0][(depot * n) + problem.Loc[p]]);
    }

    private double Width(int request)
    {
        var d = problem.Delivery[request];
        var p = problem.Pickup[request];
        var width = (double)(problem.Close[d] - problem.Open[d]);
        return p < 0 ? width : Math.Min(width, problem.Close[p] - problem.Open[p]);
    }
}
