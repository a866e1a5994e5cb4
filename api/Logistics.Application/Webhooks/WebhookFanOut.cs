using System.Text.Json;
using Logistics.Application.ProcessManagers;
using Logistics.Application.Streams;
using Logistics.Domain.Parcels;
using Logistics.EventStore.Subscriptions;
using Npgsql;

namespace Logistics.Application.Webhooks;

/// <summary>
/// A parcel's status changes, told to its shop's webhook endpoints: one delivery per endpoint and event, queued from
/// the global log (a replay after a crash queues nothing twice: a delivery's id derives from the endpoint and the
/// event). An endpoint hears of the events recorded after it was added. The payload carries no personal data: the
/// parcel's ids, the shop's reference (its order id), the status and a line describing the change.
/// </summary>
public sealed class WebhookFanOut(NpgsqlDataSource dataSource, EventStreams streams) : IProcessManager
{
    public const string ProcessName = "webhooks";

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    /// <summary>Longer than an endpoint's insert may take to commit.</summary>
    private static readonly TimeSpan CommitMargin = TimeSpan.FromMinutes(1);

    private DateTimeOffset? _noneSince;

    public string Name => ProcessName;

    public bool Follows(Type eventClass) => typeof(ParcelEvent).IsAssignableFrom(eventClass);

    public async Task HandleAsync(EventEnvelope e, CancellationToken cancellationToken)
    {
        if (e.Event is not ParcelEvent parcelEvent || ParcelTimeline.StatusAfter(parcelEvent) is not { } status)
        {
            return;
        }

        // Most networks, and every history replayed before the first endpoint was added, have none to tell.
        if (!await AnyEndpointAsync(e.Recorded.RecordedAt, cancellationToken))
        {
            return;
        }

        if ((await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(parcelEvent.ParcelId), cancellationToken)).State is not Parcel.Known { Details: var details })
        {
            return;
        }

        var type = TypeOf(status);
        var payload = JsonSerializer.Serialize(
            new WebhookPayload(type, parcelEvent.At, new ParcelChange(
                details.Id.Value, details.TrackingId, details.Shop.Value, details.Reference, status.ToString(), parcelEvent.At,
                Describe(parcelEvent), $"/track/{details.TrackingId}")),
            PayloadJson);
        await using var insert = dataSource.CreateCommand(
            """
            insert into webhook_deliveries (id, endpoint_id, shop_id, event_id, parcel_id, type, payload, created_at, retry_until_attempt, next_attempt_at)
            select md5(e.id::text || $2::text)::uuid, e.id, e.shop_id, $2, $3, $4, $5, $6, $7, $6
            from webhook_endpoints e
            where e.shop_id = $1 and e.disabled_at is null and e.subscribed_from <= $8
            on conflict (endpoint_id, event_id) do nothing
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = details.Shop.Value });
        insert.Parameters.Add(new NpgsqlParameter { Value = e.Recorded.EventId });
        insert.Parameters.Add(new NpgsqlParameter { Value = details.Id.Value });
        insert.Parameters.Add(new NpgsqlParameter { Value = type });
        insert.Parameters.Add(new NpgsqlParameter { Value = payload });
        insert.Parameters.Add(new NpgsqlParameter { Value = streams.Clock.GetUtcNow() });
        insert.Parameters.Add(new NpgsqlParameter { Value = WebhookSubscriptions.Retries });
        insert.Parameters.Add(new NpgsqlParameter { Value = e.Recorded.RecordedAt });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    // Whether an endpoint may hear of an event recorded at that time. "None" is remembered with the database's time
    // it was seen at, and believed for events recorded well before it (an endpoint's own transaction may still be
    // committing when it is looked for): a history replayed in bulk asks once, live events ask each time.
    private async Task<bool> AnyEndpointAsync(DateTimeOffset recordedAt, CancellationToken cancellationToken)
    {
        if (_noneSince is { } seen && recordedAt < seen - CommitMargin)
        {
            return false;
        }

        await using var command = dataSource.CreateCommand("select now(), exists (select 1 from webhook_endpoints where disabled_at is null)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (now, any) = (reader.GetFieldValue<DateTimeOffset>(0), reader.GetBoolean(1));
        _noneSince = any ? null : now;
        return any;
    }

    // A line ending with the recipient's own words (a cancellation's reason) is cut before them.
    private static string Describe(ParcelEvent e)
    {
        var line = ParcelTimeline.Describe(e);
        return ParcelTimeline.EndingWithPersonalText.Contains(e.GetType().Name) && line.IndexOf(": ", StringComparison.Ordinal) is > 0 and var cut ? line[..cut] : line;
    }

    /// <summary>The webhook's type for a status: <c>parcel.awaiting-collection</c>, <c>parcel.collected</c>…</summary>
    public static string TypeOf(ParcelStatus status) =>
        "parcel." + JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());
}

/// <summary>The body of a webhook, in the Standard Webhooks shape: a type, a timestamp and the data.</summary>
public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, ParcelChange Data);

/// <summary>
/// What changed: the parcel (its id, tracking number and the shop's <c>reference</c>, the web store's order id),
/// its new status, when, in a line, and the path of its tracking page.
/// </summary>
public sealed record ParcelChange(string ParcelId, string TrackingId, string ShopId, string? Reference, string Status, DateTimeOffset At, string Description, string TrackingPath);
