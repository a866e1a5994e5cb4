using Npgsql;
using NpgsqlTypes;

namespace Logistics.Perf.Store;

/// <summary>One way of appending: <see cref="AppendAsync"/> writes <see cref="EventsPerAppend"/> events to a writer's stream.</summary>
internal abstract class AppendVariant(string name, int eventsPerAppend)
{
    public string Name { get; } = name;

    public int EventsPerAppend { get; } = eventsPerAppend;

    public abstract Task AppendAsync(WriterStream stream);
}

/// <summary>A reference written in plain SQL on the reference tables, given the same strings the store gets.</summary>
internal sealed class SqlVariant(string name, int eventsPerAppend, NpgsqlDataSource dataSource, SampleEvents samples, string sql, bool arrays)
    : AppendVariant(name, eventsPerAppend)
{
    public override async Task AppendAsync(WriterStream stream)
    {
        var events = samples.Fresh(EventsPerAppend);
        // Opened per append like the store does, so both pay the same pool round trip.
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter { Value = stream.StreamId });
        parameters.Add(new NpgsqlParameter { Value = stream.Version });
        if (arrays)
        {
            var metadata = new string[events.Length];
            Array.Fill(metadata, samples.MetadataJson);
            parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.EventId).ToArray() });
            parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.EventType).ToArray() });
            parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.SchemaVersion).ToArray() });
            parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Data).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            parameters.Add(new NpgsqlParameter { Value = metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        }
        else
        {
            var e = events[0];
            parameters.Add(new NpgsqlParameter { Value = e.EventId });
            parameters.Add(new NpgsqlParameter { Value = e.EventType });
            parameters.Add(new NpgsqlParameter { Value = e.SchemaVersion });
            parameters.Add(new NpgsqlParameter { Value = e.Data, NpgsqlDbType = NpgsqlDbType.Jsonb });
            parameters.Add(new NpgsqlParameter { Value = samples.MetadataJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        }

        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
            }
        }

        stream.Appended(EventsPerAppend);
    }
}

/// <summary>Our store: <c>PostgresEventStore.AppendAsync</c> exactly as the API calls it.</summary>
internal sealed class StoreVariant(string name, int eventsPerAppend, Logistics.EventStore.Postgres.PostgresEventStore store, SampleEvents samples)
    : AppendVariant(name, eventsPerAppend)
{
    public override async Task AppendAsync(WriterStream stream)
    {
        var result = await store.AppendAsync(stream.StreamId, stream.Version, samples.Fresh(EventsPerAppend));
        if (result.NextExpectedVersion != stream.Version + EventsPerAppend)
        {
            throw new InvalidOperationException($"Stream {stream.StreamId} is at {result.NextExpectedVersion}, not {stream.Version + EventsPerAppend}.");
        }

        stream.Appended(EventsPerAppend);
    }
}
