using System.Diagnostics;
using Logistics.EventStore;
using Logistics.EventStore.Postgres;
using Npgsql;

namespace Logistics.Perf.Rebuild;

/// <summary>The floors a rebuild is compared with: the same events read and nothing done with them.</summary>
internal static class RawRead
{
    /// <summary>
    /// One <c>COPY (select …) TO STDOUT</c> of the log in global order, the columns a rebuild reads, every field
    /// taken as the .NET value a reader would hold (strings, ids, positions, times), read synchronously from the buffer.
    /// </summary>
    public static async Task<(long Events, TimeSpan Elapsed)> CopyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        long events = 0;
        await using (var reader = await connection.BeginBinaryExportAsync(
            """
            copy (select event_id, stream_id, version, tx_id::text, seq, event_type, schema_version, data::text, metadata::text, recorded_at
                  from es_events order by tx_id, seq) to stdout (format binary)
            """,
            cancellationToken))
        {
            while (reader.StartRow() != -1)
            {
                _ = reader.Read<Guid>();
                _ = reader.Read<string>();
                _ = reader.Read<long>();
                _ = reader.Read<string>();
                _ = reader.Read<long>();
                _ = reader.Read<string>();
                _ = reader.Read<int>();
                _ = reader.Read<string>();
                _ = reader.Read<string>();
                _ = reader.Read<DateTime>();
                events++;
            }
        }

        return (events, clock.Elapsed);
    }

    /// <summary>The store's own page read (<see cref="PostgresEventStore.ReadAllAsync(NpgsqlConnection, NpgsqlTransaction?, GlobalPosition, int, CancellationToken)"/>), page after page, as a rebuild reads it.</summary>
    public static async Task<(long Events, TimeSpan Elapsed)> PagesAsync(NpgsqlDataSource dataSource, int pageSize, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        long events = 0;
        var position = GlobalPosition.Start;
        while (true)
        {
            var page = await PostgresEventStore.ReadAllAsync(connection, null, position, pageSize, cancellationToken);
            if (page.Count == 0)
            {
                return (events, clock.Elapsed);
            }

            events += page.Count;
            position = page[^1].Position;
        }
    }
}
