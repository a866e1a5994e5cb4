namespace Logistics.Dispatch.Search.Operators;

/// <summary>Best-improvement descent over the operators in turn, until none improves or time is up.</summary>
internal sealed class LocalSearch(Compiled problem)
{
    private readonly ILocalSearchOperator[] _operators = [new PairRelocate(problem), new PairExchange(problem), new TwoOptStar(problem)];

    public void Descend(WorkingSolution solution, Func<bool> mayContinue)
    {
        var improved = true;
        while (improved && mayContinue())
        {
            improved = false;
            foreach (var op in _operators)
            {
                while (mayContinue() && op.Evaluate(solution) < 0)
                {
                    op.Apply(solution);
                    improved = true;
                }
            }
        }
    }
}
