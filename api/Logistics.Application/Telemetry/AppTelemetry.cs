using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Logistics.Application.Telemetry;

/// <summary>
/// The core's own spans and metrics (<see cref="SourceName"/> is both the activity source and the meter): a span for
/// each decision, each process manager's reaction (a continuation of the trace whose event it reacts to) and each
/// command queued for a board; planning runs and their duration. The figures that live in the database (projection
/// lag, outbox, boards online, commands pending, wrong codes) are gauges read by <see cref="OperationsSampler"/>.
/// </summary>
public static class AppTelemetry
{
    public const string SourceName = "Logistics";

    public static readonly ActivitySource Source = new(SourceName);

    public static readonly Meter Meter = new(SourceName);

    private static readonly Counter<long> PlanningRuns = Meter.CreateCounter<long>(
        "logistics.planning.runs", unit: "{run}", description: "Planning runs, by kind (all couriers, or one re-planned) and outcome.");

    private static readonly Histogram<double> PlanningDuration = Meter.CreateHistogram(
        "logistics.planning.duration",
        unit: "s",
        description: "How long a planning run took, from its lock to its rounds recorded.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60] });

    /// <summary>The W3C trace context of the current span, to be kept in the events it appends; null when nothing traces.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } current ? current.Id : null;

    /// <summary>A reaction to an event, as a child of the span that appended it when the event carries its context.</summary>
    public static Activity? StartReaction(string name, string? traceParent, string eventType)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var parent = traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
        var activity = Source.StartActivity($"react {name}", ActivityKind.Internal, parent);
        activity?.SetTag("logistics.event.type", eventType);
        return activity;
    }

    public static void PlanningRan(string kind, string outcome, TimeSpan elapsed)
    {
        var kindTag = new KeyValuePair<string, object?>("kind", kind);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        PlanningRuns.Add(1, kindTag, outcomeTag);
        PlanningDuration.Record(elapsed.TotalSeconds, kindTag, outcomeTag);
    }
}
