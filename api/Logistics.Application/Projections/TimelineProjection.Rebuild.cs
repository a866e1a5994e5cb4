using System.Globalization;
using Logistics.Domain.Parcels;
using Logistics.EventStore.Subscriptions;
using Npgsql;

namespace Logistics.Application.Projections;

/// <summary>The bulk rebuild: lines are only ever added, so each batch's lines stream into one COPY.</summary>
public sealed partial class TimelineProjection
{
    public bool Reads(Type eventClass) => typeof(ParcelEvent).IsAssignableFrom(eventClass);

    public IProjectionBuilder StartRebuild() => new Builder();

    private sealed class Builder : IProjectionBuilder
    {
        private NpgsqlBinaryImporter? _copy;

        public async ValueTask ApplyAsync(NpgsqlConnection connection, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
        {
            _copy ??= await BulkCopy.BeginAsync(connection, "rm_parcel_timeline", "parcel_id, tx, seq, at, kind, text, actor_kind", cancellationToken);
            foreach (var envelope in events)
            {
                // The primary key (parcel, global sequence) never repeats within one pass over the log.
                var e = (ParcelEvent)envelope.Event;
                if (ParcelTimeline.Describe(e) is not { Length: > 0 } text)
                {
                    continue;
                }

                var position = envelope.Recorded.Position;
                _copy.StartRow();
                _copy.Text(e.ParcelId.Value);
                _copy.Text(position.Transaction.ToString(CultureInfo.InvariantCulture));
                _copy.Long(position.Sequence);
                _copy.Time(e.At);
                _copy.Text(envelope.Recorded.EventType);
                _copy.Text(text);
                _copy.Text(envelope.Recorded.Metadata.ActorKind);
            }
        }

        public async Task CompleteAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            if (_copy is not null)
            {
                await _copy.CompleteAsync(cancellationToken);
                await _copy.DisposeAsync();
            }
        }
    }
}
