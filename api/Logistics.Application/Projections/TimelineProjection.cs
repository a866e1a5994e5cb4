using Logistics.Domain.Parcels;
using Logistics.EventStore.Subscriptions;

namespace Logistics.Application.Projections;

/// <summary>
/// Each parcel's history as lines a customer can read: what happened, when, where. The only personal data is the free
/// text of a cancellation or failed delivery, blanked when the recipient is erased.
/// </summary>
public sealed partial class TimelineProjection : IBulkProjection
{
    public string Name => "parcel-timeline";

    public Task EnsureSchemaAsync(ProjectionContext context, CancellationToken cancellationToken) => context.ExecuteAsync(
        """
        create table if not exists rm_parcel_timeline (
            parcel_id text not null,
            tx text not null,
            seq bigint not null,
            at timestamptz not null,
            kind text not null,
            text text not null,
            actor_kind text not null,
            primary key (parcel_id, seq)
        );
        """,
        cancellationToken);

    public Task ResetAsync(ProjectionContext context, CancellationToken cancellationToken) =>
        context.ExecuteAsync("truncate rm_parcel_timeline", cancellationToken);

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        foreach (var envelope in events)
        {
            if (envelope.Event is not ParcelEvent e || ParcelTimeline.Describe(e) is not { Length: > 0 } text)
            {
                continue;
            }

            await context.ExecuteAsync(
                """
                insert into rm_parcel_timeline (parcel_id, tx, seq, at, kind, text, actor_kind) values ($1, $2, $3, $4, $5, $6, $7)
                on conflict do nothing
                """,
                cancellationToken,
                e.ParcelId.Value,
                envelope.Recorded.Position.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture),
                envelope.Recorded.Position.Sequence,
                e.At,
                envelope.Recorded.EventType,
                text,
                envelope.Recorded.Metadata.ActorKind);
            if (e is RecipientErased)
            {
                // The lines written while the key existed hold the text in clear: keep what precedes it (ids, no one's data).
                await context.ExecuteAsync(
                    $"update rm_parcel_timeline set text = split_part(text, ': ', 1) || ': {Streams.DomainEvents.Erased}' where parcel_id = $1 and kind = any($2)",
                    cancellationToken,
                    e.ParcelId.Value,
                    ParcelTimeline.EndingWithPersonalText.ToArray());
            }
        }
    }
}
