namespace Logistics.Application.Planning;

/// <summary>
/// A run over every network failed in some of them: <see cref="Failures"/> holds, per network left out, what failed;
/// <see cref="Planned"/> names the others (planned, or unchanged since their last run) and <see cref="Result"/> sums
/// their answers, their plans applied and recorded. The run is worth trying again: those networks are then skipped
/// as unchanged.
/// </summary>
public sealed class NetworksNotPlanned(IReadOnlyDictionary<string, Exception> failures, IReadOnlyList<string> planned, PlanningResult result)
    : AggregateException($"Planning failed in {failures.Count} network(s) ({string.Join(", ", failures.Keys.Order(StringComparer.Ordinal))}); {planned.Count} other(s) planned.", failures.Values)
{
    public IReadOnlyDictionary<string, Exception> Failures { get; } = failures;

    public IReadOnlyList<string> Planned { get; } = planned;

    public PlanningResult Result { get; } = result;
}
