namespace Logistics.Dispatch.Stopping;

/// <summary>Stops as soon as any of its criteria does (progress is the furthest of theirs).</summary>
public sealed class FirstOf(params IStopCriterion[] criteria) : IStopCriterion
{
    public double Progress(SearchStatus status) => criteria.Length == 0 ? 1 : criteria.Max(c => c.Progress(status));
}
