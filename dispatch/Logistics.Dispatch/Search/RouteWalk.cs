namespace Logistics.Dispatch.Search;

/// <summary>
/// Walks a route's schedule in scaled integers with the rules the O(1) arrays leave out: access hours of the
/// vehicle's profile, the break, the maximum shift length and the price of lateness after a soft deadline.
/// The round leaves its start as late as its first stop allows; the break is taken between two stops, in a wait
/// that holds it or else just before the stop that would end past its limit. The arrays' checks stay a necessary
/// condition (they see no break and the loosest windows), so the walk only runs on places that passed them.
/// </summary>
internal static class RouteWalk
{
    [ThreadStatic]
    private static int[]? _buffer;

    public readonly record struct Result(bool Feasible, long Late, int BreakAfter, long Departure, long Arrival);

    public static Result Walk(Compiled c, int vehicle, ReadOnlySpan<int> nodes)
    {
        var infeasible = new Result(false, 0, -1, 0, 0);
        var profile = c.Profile[vehicle];
        var time = c.Time[profile];
        var n = c.Locations;
        var count = nodes.Length;
        long t = c.Open[nodes[0]];
        var departure = t;
        if (count > 2)
        {
            departure = Math.Max(t, c.OpenFor(nodes[1], profile) - time[(c.Loc[nodes[0]] * n) + c.Loc[nodes[1]]]);
        }

        var after = c.BreakAfter[vehicle];
        var length = c.BreakLength[vehicle];
        var deadline = after >= 0 ? departure + after : long.MaxValue;
        var taken = after < 0;
        var breakAfter = -1;
        long late = 0;
        for (var k = 1; k < count; k++)
        {
            int prev = nodes[k - 1], node = nodes[k];
            var travel = time[(c.Loc[prev] * n) + c.Loc[node]];
            var end = k == count - 1;
            var open = end ? c.Open[node] : c.OpenFor(node, profile);
            var close = end ? c.Close[node] : c.CloseFor(node, profile);
            if (!taken)
            {
                var arrive = t + travel;
                var needed = end ? arrive > deadline : Math.Max(arrive, open) + c.Service[node] > deadline;
                var fits = k >= 2 && open - arrive >= length;
                if (needed || fits)
                {
                    if (t > deadline)
                    {
                        return infeasible;
                    }

                    t += length;
                    taken = true;
                    breakAfter = k - 1;
                }
            }

            t = Math.Max(open, t + travel);
            if (t > close)
            {
                return infeasible;
            }

            if (!end)
            {
                if (t > c.Due[node])
                {
                    late += ((t - c.Due[node]) * c.LatePrice[node]) >> Compiled.PriceShift;
                }

                t += c.Service[node];
            }
        }

        return t - departure > c.MaxDuration[vehicle] ? infeasible : new Result(true, late, breakAfter, departure, t);
    }

    /// <summary>The lateness added by putting the request's stops at these positions (as <see cref="Route.InsertPair"/> places them), or long.MaxValue when the route would break a rule.</summary>
    public static long InsertionPenalty(Route route, int request, int first, int second)
    {
        var c = route.Problem;
        var buffer = _buffer is { } b && b.Length >= route.Count + 2 ? b : (_buffer = new int[c.StopCount + 4]);
        var count = route.Count;
        route.Nodes.AsSpan(0, count).CopyTo(buffer);
        if (second < 0)
        {
            Insert(buffer, ref count, first, c.Delivery[request]);
        }
        else
        {
            Insert(buffer, ref count, first, c.Pickup[request]);
            Insert(buffer, ref count, second, c.Delivery[request]);
        }

        var walk = Walk(c, route.Vehicle, buffer.AsSpan(0, count));
        return walk.Feasible ? walk.Late - route.LatePenalty : long.MaxValue;
    }

    private static void Insert(int[] nodes, ref int count, int position, int node)
    {
        Array.Copy(nodes, position, nodes, position + 1, count - position);
        nodes[position] = node;
        count++;
    }
}
