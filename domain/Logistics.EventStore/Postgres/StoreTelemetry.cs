using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Logistics.EventStore.Postgres;

/// <summary>
/// What the store tells an operator's telemetry: a span per append (a child of the request or job that appended) and
/// the append latency and event counts by stream category and outcome. Names follow OpenTelemetry's conventions; the
/// host decides whether anything listens (<see cref="SourceName"/> is both the activity source and the meter).
/// </summary>
public static class StoreTelemetry
{
    public const string SourceName = "Logistics.EventStore";

    private static readonly ActivitySource Source = new(SourceName);
    private static readonly Meter Meter = new(SourceName);

    private static readonly Histogram<double> AppendDuration = Meter.CreateHistogram(
        "logistics.events.append.duration",
        unit: "s",
        description: "How long one append took (one stream, one or more events), by stream category and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static readonly Counter<long> EventsAppended = Meter.CreateCounter<long>(
        "logistics.events.appended",
        unit: "{event}",
        description: "Events appended to the log, by stream category.");

    /// <summary>The span of one append: its stream's category (the id's part before the first '-', never a person's data).</summary>
    internal static Activity? StartAppend(string streamId, int events)
    {
        var activity = Source.StartActivity("append", ActivityKind.Internal);
        activity?.SetTag("logistics.stream.category", Category(streamId));
        activity?.SetTag("logistics.events", events);
        return activity;
    }

    /// <summary>
    /// The span of one projection batch, linked to the traces of the requests whose events it applies (a batch serves
    /// many requests, so links rather than one parent; at most 32).
    /// </summary>
    internal static Activity? StartProjection(string projection, IReadOnlyList<RecordedEvent> batch)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var links = new List<ActivityLink>();
        foreach (var recorded in batch)
        {
            if (links.Count < 32 && recorded.Metadata.TraceParent is { } parent && ActivityContext.TryParse(parent, null, out var context))
            {
                links.Add(new ActivityLink(context));
            }
        }

        var activity = Source.StartActivity(ActivityKind.Internal, links: links, name: $"project {projection}");
        activity?.SetTag("logistics.projection", projection);
        activity?.SetTag("logistics.events", batch.Count);
        return activity;
    }

    internal static void Appended(string streamId, int events, string outcome, TimeSpan elapsed, Activity? activity)
    {
        var category = new KeyValuePair<string, object?>("stream", Category(streamId));
        AppendDuration.Record(elapsed.TotalSeconds, category, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == "appended")
        {
            EventsAppended.Add(events, category);
        }

        activity?.SetTag("logistics.outcome", outcome);
        if (outcome is "error" or "conflict")
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }

    /// <summary>A stream's category for spans and metrics: its id's part before the first '-' (never a person's data).</summary>
    public static string Category(string? streamId)
    {
        if (string.IsNullOrEmpty(streamId))
        {
            return "none";
        }

        var dash = streamId.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? streamId[..dash] : streamId;
    }
}
