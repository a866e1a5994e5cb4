namespace Logistics.Dispatch.Stopping;

/// <summary>
/// How far the search has gone, from 0 to 1; at 1 it stops. Progress (not a yes/no) also drives the
/// phase split and the annealing temperature, so an iteration limit gives a fully deterministic run.
/// Criteria are stateless: threads share one instance.
/// </summary>
public interface IStopCriterion
{
    double Progress(SearchStatus status);
}

/// <summary>What a criterion may look at: iterations done by this search thread and time elapsed since the solve began.</summary>
public readonly record struct SearchStatus(long Iterations, TimeSpan Elapsed);
