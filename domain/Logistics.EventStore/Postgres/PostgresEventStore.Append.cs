using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Logistics.EventStore.Postgres;

/// <summary>
/// The append's happy path in one plain statement, so that prepared (see <see cref="PostgresDataSource"/>) it costs
/// the server one plan execution: the stream's row is created, or moved on only if it is at the expected version (the
/// update takes the row's lock, and re-checks the version once a concurrent writer commits), then the events are
/// inserted with the stream's ordering transaction id. No row means anything else — a conflict, a retry of a committed
/// append, a stream to create that exists — and es_append then tells these apart under the stream's lock.
/// </summary>
public sealed partial class PostgresEventStore
{
    private const string Insert = """
        insert into es_events (tx_id, stream_id, version, event_id, event_type, schema_version, data, metadata)
        """;

    // $1 stream, $2 expected version, $3.. the event. The new stream's ordering id is this transaction's.
    private const string CreateOne = $"""
        with s as (
            insert into es_streams (stream_id, version, last_tx) values ($1, $2 + 1, pg_current_xact_id())
            on conflict (stream_id) do nothing
            returning last_tx)
        {Insert}
        select s.last_tx, $1, $2 + 1, $3, $4, $5, $6, $7 from s
        returning version, tx_id, seq
        """;

    // Never below the stream's last one, so a transaction that took its id before the stream's lock keeps the stream in order.
    private const string ContinueOne = $"""
        with s as (
            update es_streams set version = $2 + 1, last_tx = greatest(pg_current_xact_id(), last_tx)
            where stream_id = $1 and version = $2
            returning last_tx)
        {Insert}
        select s.last_tx, $1, $2 + 1, $3, $4, $5, $6, $7 from s
        returning version, tx_id, seq
        """;

    // $3 the number of events, $4.. their columns as arrays, inserted in their order.
    private const string CreateMany = $"""
        with s as (
            insert into es_streams (stream_id, version, last_tx) values ($1, $2 + $3, pg_current_xact_id())
            on conflict (stream_id) do nothing
            returning last_tx)
        {Insert}
        select s.last_tx, $1, $2 + i.n, i.id, i.t, i.sv, i.d, i.m
        from s cross join unnest($4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[]) with ordinality as i(id, t, sv, d, m, n)
        order by i.n
        returning version, tx_id, seq
        """;

    private const string ContinueMany = $"""
        with s as (
            update es_streams set version = $2 + $3, last_tx = greatest(pg_current_xact_id(), last_tx)
            where stream_id = $1 and version = $2
            returning last_tx)
        {Insert}
        select s.last_tx, $1, $2 + i.n, i.id, i.t, i.sv, i.d, i.m
        from s cross join unnest($4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[]) with ordinality as i(id, t, sv, d, m, n)
        order by i.n
        returning version, tx_id, seq
        """;

    /// <summary>The append if the stream was at <paramref name="expectedVersion"/> (or new, for 0); null otherwise.</summary>
    private static async Task<AppendResult?> TryAppendAtVersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string streamId, long expectedVersion,
        IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        var create = expectedVersion == ExpectedVersion.NoStream;
        var single = events.Count == 1;
        await using var command = new NpgsqlCommand(
            (create, single) switch
            {
                (true, true) => CreateOne,
                (false, true) => ContinueOne,
                (true, false) => CreateMany,
                (false, false) => ContinueMany,
            },
            connection,
            transaction);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedVersion });
        if (single)
        {
            var e = events[0];
            parameters.Add(new NpgsqlParameter<Guid> { TypedValue = e.EventId });
            parameters.Add(new NpgsqlParameter<string> { TypedValue = e.EventType });
            parameters.Add(new NpgsqlParameter<int> { TypedValue = e.SchemaVersion });
            parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Data, NpgsqlDbType = NpgsqlDbType.Jsonb });
            parameters.Add(new NpgsqlParameter<string>
            {
                TypedValue = JsonSerializer.Serialize(e.Metadata, MetadataJsonContext.Default.EventMetadata),
                NpgsqlDbType = NpgsqlDbType.Jsonb,
            });
        }
        else
        {
            parameters.Add(new NpgsqlParameter<long> { TypedValue = events.Count });
            AddEventArrays(parameters, events);
        }

        var positions = new GlobalPosition[events.Count];
        var found = 0;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                positions[reader.GetInt64(0) - expectedVersion - 1] = new GlobalPosition(reader.GetFieldValue<ulong>(1), reader.GetInt64(2));
                found++;
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new EventIdReuseException($"Some event ids of this append were stored before in another batch: {e.MessageText}");
        }

        return found == 0 ? null : new AppendResult(expectedVersion + events.Count, positions, WasDuplicate: false);
    }
}
