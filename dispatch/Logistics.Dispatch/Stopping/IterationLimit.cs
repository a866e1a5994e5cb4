namespace Logistics.Dispatch.Stopping;

/// <summary>Stops after a number of ruin-and-recreate iterations per thread: the same seed then gives the same solution.</summary>
public sealed record IterationLimit(long Iterations) : IStopCriterion
{
    public double Progress(SearchStatus status) =>
        Iterations <= 0 ? 1 : (double)status.Iterations / Iterations;
}
