namespace Logistics.Dispatch.Search.Operators;

/// <summary>
/// Swaps two requests of different routes, each going to its cheapest place in the other's route.
/// Only pairs whose pickups are near each other are tried (the first neighbours), as far swaps rarely pay.
/// </summary>
internal sealed class PairExchange(Compiled problem, int neighbours = 30) : ILocalSearchOperator
{
    private readonly Scratch _scratch = new(problem);
    private readonly Rng _noBlinks = new(0);
    private (int First, int Second, Insertion FirstMove, Insertion SecondMove) _move;

    public long Evaluate(WorkingSolution solution)
    {
        long best = 0;
        _move = (-1, -1, default, default);
        for (var r1 = 0; r1 < problem.RequestCount; r1++)
        {
            var a = solution.RouteOf[r1];
            if (a < 0)
            {
                continue;
            }

            var anchor = problem.Pickup[r1] >= 0 ? problem.Pickup[r1] : problem.Delivery[r1];
            var near = problem.Neighbours[anchor];
            for (var k = 0; k < near.Length && k < neighbours; k++)
            {
                var r2 = problem.RequestOf[near[k]];
                var b = solution.RouteOf[r2];
                if (b < 0 || b == a || r2 < r1)
                {
                    continue;
                }

                var routeA = solution.Routes[a];
                var routeB = solution.Routes[b];
                var withoutA = _scratch.Without(routeA, r1);
                var withoutB = _scratch.Without(routeB, r2);
                var gain = Scratch.Cost(routeA) + Scratch.Cost(routeB) - Scratch.Cost(withoutA) - Scratch.Cost(withoutB);
                var intoB = Insertion.None;
                intoB.Delta = best + gain;
                BestInsertion.Evaluate(withoutB, r1, _noBlinks, 0, withoutB.IsEmpty ? problem.Fixed[b] : 0, ref intoB);
                if (!intoB.Found)
                {
                    continue;
                }

                var intoA = Insertion.None;
                intoA.Delta = best + gain - intoB.Delta;
                BestInsertion.Evaluate(withoutA, r2, _noBlinks, 0, withoutA.IsEmpty ? problem.Fixed[a] : 0, ref intoA);
                if (intoA.Found && intoA.Delta + intoB.Delta - gain < best)
                {
                    best = intoA.Delta + intoB.Delta - gain;
                    _move = (r1, r2, intoB, intoA);
                }
            }
        }

        return best;
    }

    public void Apply(WorkingSolution solution)
    {
        var (first, second, firstMove, secondMove) = _move;
        solution.Remove([first, second], new bool[problem.RequestCount]);
        solution.Absent.Remove(first);
        solution.Absent.Remove(second);
        solution.Apply(second, secondMove);
        solution.Apply(first, firstMove);
    }
}
