namespace Logistics.Dispatch.Search;

/// <summary>
/// Cheapest feasible place for a request in one route. A pair is tried at every pickup position, then the
/// delivery is walked forward from it carrying the pickup's delay, with the route's latest-start array
/// answering for the rest of the route in O(1) (so O(n²) per route). Positions are skipped at the blink
/// rate (SISR's "blinks") to diversify the greedy recreate. On long routes most of the walk is pruned: the
/// cheapest delivery detour from each position onwards (ignoring time) bounds what the walk can still find.
/// </summary>
internal static class BestInsertion
{
    private const int SortAbove = 24;

    [ThreadStatic]
    private static Scratch? _scratch;

    public static void Evaluate(Route route, int request, Rng rng, double blink, long fixedCost, ref Insertion best, bool walk = true)
    {
        var c = route.Problem;
        if (!c.Allows(request, route.Vehicle))
        {
            return;
        }

        if (c.Pickup[request] < 0)
        {
            EvaluateSingle(route, request, rng, blink, fixedCost, walk, ref best);
        }
        else
        {
            if (route.Count > SortAbove)
            {
                EvaluatePairSorted(route, request, rng, blink, fixedCost, walk, ref best);
            }
            else
            {
                EvaluatePairScan(route, request, rng, blink, fixedCost, walk, ref best);
            }
        }
    }

    // Short routes: the plain scan in route order (a pickup too late ends it), pruned by the triangle inequality.
    private static void EvaluatePairScan(Route route, int request, Rng rng, double blink, long fixedCost, bool walk, ref Insertion best)
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
        for (var i = route.FirstFree; i < count; i++)
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
                    Offer(route, request, i, i + 1, delta, walk, ref best);
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
                                Offer(route, request, i, j + 2, delta, walk, ref best);
                            }
                        }
                    }
                }

                prevLoc = lj;
                prevEnd = tj + c.Service[nj];
            }
        }
    }


    // Long routes: pickup positions in order of a cost bound, and the delivery walk cut by a suffix minimum.
    private static void EvaluatePairSorted(Route route, int request, Rng rng, double blink, long fixedCost, bool walk, ref Insertion best)
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
        var first = route.FirstFree;
        var scratch = _scratch ??= new Scratch();
        scratch.Ensure(count);
        var suffix = scratch.Suffix;
        var keys = scratch.Keys;
        var order = scratch.Order;

        // suffix[j]: the cheapest delivery detour after any original position j' >= j, time ignored.
        suffix[count - 1] = long.MaxValue / 4;
        for (var j = count - 2; j >= 1; j--)
        {
            int lj = c.Loc[nodes[j]], lc = c.Loc[nodes[j + 1]];
            suffix[j] = Math.Min(suffix[j + 1], (long)arc[(lj * n) + ld] + arc[(ld * n) + lc] - arc[(lj * n) + lc]);
        }

        // Pickup positions in order of their cost bound, so that a good place is found first and the rest pruned.
        // Past the first position where the pickup comes too late, none is tried (as the plain scan did).
        var positions = 0;
        for (var i = first; i < count; i++)
        {
            int la = c.Loc[nodes[i - 1]], lb = c.Loc[nodes[i]];
            if (Math.Max(openP, est[i - 1] + c.Service[nodes[i - 1]] + time[(la * n) + lp]) > closeP)
            {
                break;
            }

            var pickupDetour = (long)arc[(la * n) + lp] - arc[(la * n) + lb] + fixedCost;
            keys[positions] = pickupDetour + Math.Min(arc[pd] + arc[(ld * n) + lb], arc[(lp * n) + lb] + suffix[i]);
            order[positions++] = i;
        }

        Array.Sort(keys, order, 0, positions);
        for (var k = 0; k < positions; k++)
        {
            if (keys[k] >= best.Delta)
            {
                break;
            }

            var i = order[k];
            var a = nodes[i - 1];
            var la = c.Loc[a];
            var tp = Math.Max(openP, est[i - 1] + c.Service[a] + time[(la * n) + lp]);
            if (tp > closeP || load[i - 1] + q > cap || (blink > 0 && rng.NextDouble() < blink))
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
                    Offer(route, request, i, i + 1, delta, walk, ref best);
                }
            }

            // The delivery after original position j >= i, with the pickup's delay carried along; the walk ends
            // when no later position can beat the best even without time (the suffix bound).
            var head = costAp + arc[(lp * n) + lb];
            int prevLoc = lp;
            long prevEnd = tp + serviceP;
            for (var j = i; j < count - 1 && head + suffix[j] < best.Delta; j++)
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
                                Offer(route, request, i, j + 2, delta, walk, ref best);
                            }
                        }
                    }
                }

                prevLoc = lj;
                prevEnd = tj + c.Service[nj];
            }
        }
    }

    // A place that passed the O(1) checks: on a vehicle with rules the arrays do not see (breaks, shift length,
    // access hours, lateness prices) the route is walked with the request in place before it is taken.
    private static void Offer(Route route, int request, int first, int second, long delta, bool walk, ref Insertion best)
    {
        if (walk && route.Problem.NeedsWalk[route.Vehicle])
        {
            var extra = RouteWalk.InsertionPenalty(route, request, first, second);
            if (extra == long.MaxValue || delta + extra >= best.Delta)
            {
                return;
            }

            delta += extra;
        }

        best = new Insertion { Delta = delta, Vehicle = route.Vehicle, First = first, Second = second };
    }

    private sealed class Scratch
    {
        public long[] Suffix { get; private set; } = [];

        public long[] Keys { get; private set; } = [];

        public int[] Order { get; private set; } = [];

        public void Ensure(int count)
        {
            if (Suffix.Length < count)
            {
                Suffix = new long[count * 2];
                Keys = new long[count * 2];
                Order = new int[count * 2];
            }
        }
    }

    // A depot delivery: its load rides from the start, so every load before it grows.
    private static void EvaluateSingle(Route route, int request, Rng rng, double blink, long fixedCost, bool walk, ref Insertion best)
    {
        var c = route.Problem;
        var v = route.Vehicle;
        var time = c.Time[c.Profile[v]];
        var arc = c.ArcCost[c.CostClass[v]];
        var n = c.Locations;
        int d = c.Delivery[request], q = c.Demand[request], cap = c.Cap[v];
        var ld = c.Loc[d];
        var maxLoad = int.MinValue;
        var first = route.FirstFree;
        for (var i = 1; i < route.Count; i++)
        {
            var a = route.Nodes[i - 1];
            maxLoad = Math.Max(maxLoad, route.Load[i - 1]);
            if (maxLoad + q > cap)
            {
                break;
            }

            if (i < first)
            {
                continue;
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
                    Offer(route, request, i, -1, delta, walk, ref best);
                }
            }
        }
    }
}
