namespace Logistics.Dispatch.Search.Operators;

/// <summary>Moves one request (both its stops) to its cheapest place anywhere, its own route included.</summary>
internal sealed class PairRelocate(Compiled problem) : ILocalSearchOperator
{
    private readonly Scratch _scratch = new(problem);
    private readonly Rng _noBlinks = new(0);
    private int _request = -1;
    private Insertion _move;

    public long Evaluate(WorkingSolution solution)
    {
        long best = 0;
        _request = -1;
        for (var r = 0; r < problem.RequestCount; r++)
        {
            var from = solution.RouteOf[r];
            if (from < 0)
            {
                continue;
            }

            var source = solution.Routes[from];
            var without = _scratch.Without(source, r);
            var gain = Scratch.Cost(source) - Scratch.Cost(without);
            foreach (var route in solution.Routes)
            {
                var target = route.Vehicle == from ? without : route;
                var insertion = Insertion.None;
                insertion.Delta = best + gain;
                var fixedCost = target.IsEmpty ? problem.Fixed[target.Vehicle] : 0;
                if (route.IsEmpty && route.Vehicle != from && problem.EmptyGroup[route.Vehicle] != route.Vehicle)
                {
                    continue;
                }

                BestInsertion.Evaluate(target, r, _noBlinks, 0, fixedCost, ref insertion);
                if (insertion.Found && insertion.Delta - gain < best)
                {
                    best = insertion.Delta - gain;
                    _request = r;
                    _move = insertion;
                }
            }
        }

        return best;
    }

    public void Apply(WorkingSolution solution)
    {
        solution.Remove([_request], new bool[problem.RequestCount]);
        solution.Absent.Remove(_request);
        solution.Apply(_request, _move);
    }
}
