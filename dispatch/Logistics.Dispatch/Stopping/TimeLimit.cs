namespace Logistics.Dispatch.Stopping;

/// <summary>Stops when the wall-clock budget (measured by the solver's TimeProvider) is spent.</summary>
public sealed record TimeLimit(TimeSpan Limit) : IStopCriterion
{
    public double Progress(SearchStatus status) =>
        Limit <= TimeSpan.Zero ? 1 : status.Elapsed.TotalSeconds / Limit.TotalSeconds;
}
