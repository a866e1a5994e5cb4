using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Logistics.Domain.Parcels;
using Logistics.EventStore.PersonalData;
using Logistics.EventStore.Serialization;
using Logistics.Testing.History;
using Npgsql;
using NpgsqlTypes;

namespace Logistics.Perf.Rebuild;

/// <summary>
/// Writes a generated history into the store's own tables with binary COPY, in large transactions, each chunk
/// stamped with its transaction's id as an append would be: the log reads back exactly as if every event had been
/// appended (the same columns, order, stream versions and sealed personal data), only much faster to fill. The
/// persons' keys go to <c>es_personal_keys</c>, erased ones as null.
/// </summary>
internal static class HistoryFill
{
    private const int EventsPerTransaction = 100_000;
    private static readonly JsonSerializerOptions MetadataJson = new(JsonSerializerDefaults.Web);

    public static async Task<long> FillAsync(
        NpgsqlDataSource dataSource, Func<IPersonalDataKeys, EventSerializer> serializerOver, IEnumerable<HistoryAppend> appends,
        TextWriter progress, CancellationToken cancellationToken)
    {
        var keys = new GeneratedKeys();
        var serializer = serializerOver(keys);
        var versions = new Dictionary<string, (long Version, ulong LastTx)>(StringComparer.Ordinal);
        long events = 0;
        using var enumerator = appends.GetEnumerator();
        var more = true;
        while (more)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            ulong tx;
            await using (var current = new NpgsqlCommand("select pg_current_xact_id()::text", connection, transaction))
            {
                tx = ulong.Parse((string)(await current.ExecuteScalarAsync(cancellationToken))!, System.Globalization.CultureInfo.InvariantCulture);
            }

            var written = 0;
            await using (var copy = await connection.BeginBinaryImportAsync(
                "copy es_events (tx_id, stream_id, version, event_id, event_type, schema_version, data, metadata, recorded_at) from stdin (format binary)",
                cancellationToken))
            {
                while (written < EventsPerTransaction && (more = enumerator.MoveNext()))
                {
                    var append = enumerator.Current;
                    var version = versions.TryGetValue(append.Stream, out var stream) ? stream.Version : 0;
                    var metadata = JsonSerializer.Serialize(append.Metadata, MetadataJson);
                    foreach (var e in append.Events)
                    {
                        var data = serializer.ToEventData(e, append.Metadata);
                        await copy.StartRowAsync(cancellationToken);
                        await copy.WriteAsync(tx, NpgsqlDbType.Xid8, cancellationToken);
                        await copy.WriteAsync(append.Stream, NpgsqlDbType.Text, cancellationToken);
                        await copy.WriteAsync(++version, NpgsqlDbType.Bigint, cancellationToken);
                        await copy.WriteAsync(data.EventId, NpgsqlDbType.Uuid, cancellationToken);
                        await copy.WriteAsync(data.EventType, NpgsqlDbType.Text, cancellationToken);
                        await copy.WriteAsync(data.SchemaVersion, NpgsqlDbType.Integer, cancellationToken);
                        await copy.WriteAsync(data.Data, NpgsqlDbType.Jsonb, cancellationToken);
                        await copy.WriteAsync(metadata, NpgsqlDbType.Jsonb, cancellationToken);
                        await copy.WriteAsync(append.Metadata.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
                        written++;
                        if (e is RecipientErased erased)
                        {
                            await keys.EraseAsync(erased.Person.Value, cancellationToken);
                        }
                    }

                    versions[append.Stream] = (version, tx);
                }

                await copy.CompleteAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            events += written;
            await progress.WriteLineAsync($"  {events:N0} events written");
        }

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using (var copy = await connection.BeginBinaryImportAsync(
                "copy es_streams (stream_id, version, last_tx) from stdin (format binary)", cancellationToken))
            {
                foreach (var (stream, (version, lastTx)) in versions)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(stream, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(version, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync(lastTx, NpgsqlDbType.Xid8, cancellationToken);
                }

                await copy.CompleteAsync(cancellationToken);
            }

            await using (var copy = await connection.BeginBinaryImportAsync(
                "copy es_personal_keys (person_id, key, erased_at) from stdin (format binary)", cancellationToken))
            {
                foreach (var (person, key) in keys.All)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(person, NpgsqlDbType.Text, cancellationToken);
                    if (key is null)
                    {
                        await copy.WriteNullAsync(cancellationToken);
                        await copy.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz, cancellationToken);
                    }
                    else
                    {
                        await copy.WriteAsync(key, NpgsqlDbType.Bytea, cancellationToken);
                        await copy.WriteNullAsync(cancellationToken);
                    }
                }

                await copy.CompleteAsync(cancellationToken);
            }

            await using var analyze = new NpgsqlCommand("vacuum analyze es_events, es_streams, es_personal_keys", connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        return events;
    }

    /// <summary>Keys made while the history is serialised, written to the store's table afterwards.</summary>
    private sealed class GeneratedKeys : IPersonalDataKeys
    {
        private readonly ConcurrentDictionary<string, byte[]?> _keys = new(StringComparer.Ordinal);

        public IEnumerable<KeyValuePair<string, byte[]?>> All => _keys;

        public byte[] GetOrCreate(string personId) =>
            _keys.GetOrAdd(personId, _ => RandomNumberGenerator.GetBytes(32)) ?? throw new PersonErasedException(personId);

        public byte[]? Find(string personId) => _keys.GetValueOrDefault(personId);

        public Task EraseAsync(string personId, CancellationToken cancellationToken = default)
        {
            _keys[personId] = null;
            return Task.CompletedTask;
        }
    }
}
