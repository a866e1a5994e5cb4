namespace Logistics.Dispatch.Search.Operators;

/// <summary>
/// 2-opt* for pickup and delivery: two routes swap their tails. A cut is only allowed where no request is
/// open (picked up before the cut, delivered after), so that every pair stays on one vehicle.
/// </summary>
internal sealed class TwoOptStar(Compiled problem) : ILocalSearchOperator
{
    private readonly Scratch _scratch = new(problem);
    private readonly int[] _buffer = new int[problem.StopCount];
    private readonly List<int> _cutsA = [];
    private readonly List<int> _cutsB = [];
    private (int A, int B, int CutA, int CutB) _move;

    public long Evaluate(WorkingSolution solution)
    {
        long best = 0;
        _move = (-1, -1, 0, 0);
        var routes = solution.Routes;
        for (var a = 0; a < routes.Length; a++)
        {
            if (routes[a].IsEmpty)
            {
                continue;
            }

            Cuts(routes[a], _cutsA);
            for (var b = a + 1; b < routes.Length; b++)
            {
                if (routes[b].IsEmpty)
                {
                    continue;
                }

                Cuts(routes[b], _cutsB);
                var before = Scratch.Cost(routes[a]) + Scratch.Cost(routes[b]);
                foreach (var i in _cutsA)
                {
                    foreach (var j in _cutsB)
                    {
                        var newA = Join(routes[a], i, routes[b], j, _scratch.For(a));
                        if (!newA.Feasible)
                        {
                            continue;
                        }

                        var newB = Join(routes[b], j, routes[a], i, _scratch.For(b));
                        var delta = Scratch.Cost(newA) + Scratch.Cost(newB) - before;
                        if (newB.Feasible && delta < best)
                        {
                            best = delta;
                            _move = (a, b, i, j);
                        }
                    }
                }
            }
        }

        return best;
    }

    public void Apply(WorkingSolution solution)
    {
        var (a, b, i, j) = _move;
        var newA = Join(solution.Routes[a], i, solution.Routes[b], j, _scratch.For(a));
        var newB = Join(solution.Routes[b], j, solution.Routes[a], i, _scratch.For(b));
        solution.Routes[a].CopyFrom(newA);
        solution.Routes[b].CopyFrom(newB);
        for (var k = 1; k < newA.Count - 1; k++)
        {
            solution.RouteOf[problem.RequestOf[newA.Nodes[k]]] = a;
        }

        for (var k = 1; k < newB.Count - 1; k++)
        {
            solution.RouteOf[problem.RequestOf[newB.Nodes[k]]] = b;
        }
    }

    // Positions k (0 = right after the start) after which no request is open.
    private void Cuts(Route route, List<int> cuts)
    {
        cuts.Clear();
        var open = 0;
        cuts.Add(0);
        for (var k = 1; k < route.Count - 1; k++)
        {
            var node = route.Nodes[k];
            var r = problem.RequestOf[node];
            if (problem.Pickup[r] == node)
            {
                open++;
            }
            else if (problem.Pickup[r] >= 0)
            {
                open--;
            }

            if (open == 0)
            {
                cuts.Add(k);
            }
        }
    }

    // The head of one route up to its cut, then the tail of the other after its cut, on the first's vehicle.
    private Route Join(Route head, int headCut, Route tail, int tailCut, Route into)
    {
        var length = 0;
        for (var k = 1; k <= headCut; k++)
        {
            _buffer[length++] = head.Nodes[k];
        }

        for (var k = tailCut + 1; k < tail.Count - 1; k++)
        {
            _buffer[length++] = tail.Nodes[k];
        }

        into.Replace(_buffer.AsSpan(0, length));
        for (var k = tailCut + 1; k < tail.Count - 1; k++)
        {
            if (!problem.Allows(problem.RequestOf[tail.Nodes[k]], into.Vehicle))
            {
                into.MarkInfeasible();
                break;
            }
        }

        return into;
    }
}
