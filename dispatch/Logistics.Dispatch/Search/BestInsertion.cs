namespace Logistics.Dispatch.Search;

/// <summary>
/// Cheapest feasible place for a request in one route. A pair is tried at every pickup position, then the
/// delivery is walked forward from it carrying the pickup's delay, with the route's latest-start array
/// answering for the rest of the route in O(1) (so O(n²) per route). Positions are skipped at the blink
/// rate (SISR's "blinks") to diversify the greedy recreate.
/// </summary>
internal static class BestInsertion
{
    public static void Evaluate(Route route, int request, Rng rng, double blink, long fixedCost, ref Insertion best)
    {
        var c = route.Problem;
        if (!c.Allows(request, route.Vehicle))
        {
            return;
        }

        if (c.Pickup[request] < 0)
        {
            EvaluateSingle(route, request, rng, blink, fixedCost, ref best);
        }
        else
        {
            EvaluatePair(route, request, rng, blink, fixedCost, ref best);
        }
    }

    private static void EvaluatePair(Route route, int request, Rng rng, double blink, long fixedCost, ref Insertion best)
    {
        var c = route.Problem;
        var v = route.Vehicle;
        var time = c.Time[c.Profile[v]];
        var arc = c.ArcCost[c.CostClass[v]];
        var n = c.Locations;
        int p = c.Pickup[request], d = c.Delivery[request], q = c.Demand[request], cap = c.Cap[v];
        int lp = c.Loc[p], ld = c.Loc[d];
        long openP = c.Open[p], closeP = c.Close[p], openD = c.Open[d], closeD = c.Close[d], serviceP = c.Service[p], serviceD = c.Service[d];
        var nodes = route.Nodes;
        var est = route.Est;
        var lst = route.Lst;
        var load = route.Load;
        var count = route.Count;
        var pd = (lp * n) + ld;
        for (var i = 1; i < count; i++)
        {
            var a = nodes[i - 1];
            var la = c.Loc[a];
            var tp = Math.Max(openP, est[i - 1] + c.Service[a] + time[(la * n) + lp]);
            if (tp > closeP)
            {
                break;
            }

            if (load[i - 1] + q > cap || (blink > 0 && rng.NextDouble() < blink))
            {
                continue;
            }

            var b = nodes[i];
            var lb = c.Loc[b];
            long costAp = arc[(la * n) + lp] - arc[(la * n) + lb] + fixedCost;

            // The delivery right after the pickup.
            var td = Math.Max(openD, tp + serviceP + time[pd]);
            if (td <= closeD && td + serviceD + time[(ld * n) + lb] <= lst[i])
            {
                var delta = costAp + arc[pd] + arc[(ld * n) + lb];
                if (delta < best.Delta)
                {
                    best = new Insertion { Delta = delta, Vehicle = v, First = i, Second = i + 1 };
                }
            }

            // The delivery after original position j >= i, with the pickup's delay carried along. Its detour
            // cannot be negative (triangle inequality), so a pickup detour already over the best ends the walk.
            var head = costAp + arc[(lp * n) + lb];
            if (head >= best.Delta)
            {
                continue;
            }

            int prevLoc = lp;
            long prevEnd = tp + serviceP;
            for (var j = i; j < count - 1; j++)
            {
                var nj = nodes[j];
                var lj = c.Loc[nj];
                var tj = Math.Max(c.Open[nj], prevEnd + time[(prevLoc * n) + lj]);
                if (tj > lst[j] || load[j] + q > cap)
                {
                    break;
                }

                if (!(blink > 0 && rng.NextDouble() < blink))
                {
                    var td2 = Math.Max(openD, tj + c.Service[nj] + time[(lj * n) + ld]);
                    if (td2 <= closeD)
                    {
                        var lc = c.Loc[nodes[j + 1]];
                        if (td2 + serviceD + time[(ld * n) + lc] <= lst[j + 1])
                        {
                            var delta = head + arc[(lj * n) + ld] + arc[(ld * n) + lc] - arc[(lj * n) + lc];
                            if (delta < best.Delta)
                            {
                                best = new Insertion { Delta = delta, Vehicle = v, First = i, Second = j + 2 };
                            }
                        }
                    }
                }

                prevLoc = lj;
                prevEnd = tj + c.Service[nj];
            }
        }
    }

    // A depot delivery: its load rides from the start, so every load before it grows.
    private static void EvaluateSingle(Route route, int request, Rng rng, double blink, long fixedCost, ref Insertion best)
    {
        var c = route.Problem;
        var v = route.Vehicle;
        var time = c.Time[c.Profile[v]];
        var arc = c.ArcCost[c.CostClass[v]];
        var n = c.Locations;
        int d = c.Delivery[request], q = c.Demand[request], cap = c.Cap[v];
        var ld = c.Loc[d];
        var maxLoad = int.MinValue;
        for (var i = 1; i < route.Count; i++)
        {
            var a = route.Nodes[i - 1];
            maxLoad = Math.Max(maxLoad, route.Load[i - 1]);
            if (maxLoad + q > cap)
            {
                break;
            }

            var la = c.Loc[a];
            var td = Math.Max(c.Open[d], route.Est[i - 1] + c.Service[a] + time[(la * n) + ld]);
            if (td > c.Close[d])
            {
                break;
            }

            if (blink > 0 && rng.NextDouble() < blink)
            {
                continue;
            }

            var lb = c.Loc[route.Nodes[i]];
            if (td + c.Service[d] + time[(ld * n) + lb] <= route.Lst[i])
            {
                var delta = fixedCost + arc[(la * n) + ld] + arc[(ld * n) + lb] - arc[(la * n) + lb];
                if (delta < best.Delta)
                {
                    best = new Insertion { Delta = delta, Vehicle = v, First = i, Second = -1 };
                }
            }
        }
    }
}
