namespace Logistics.Dispatch.Search.Operators;

/// <summary>
/// A neighbourhood of the local search. <see cref="Evaluate"/> scans it and returns the cost delta of its best
/// move (negative improves), remembering the move; <see cref="Apply"/> then makes that move.
/// </summary>
internal interface ILocalSearchOperator
{
    long Evaluate(WorkingSolution solution);

    void Apply(WorkingSolution solution);
}
