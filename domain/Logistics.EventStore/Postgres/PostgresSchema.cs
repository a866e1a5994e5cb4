using Npgsql;

namespace Logistics.EventStore.Postgres;

/// <summary>Creates or updates the event store's tables and functions; safe to run at every start.</summary>
public static class PostgresSchema
{
    private static readonly Lazy<string> Script = new(() => SchemaScript.Embedded(typeof(PostgresSchema).Assembly, "Logistics.EventStore.Schema.sql"));

    /// <summary>Idempotent: run at every start, by any number of nodes at once (see <see cref="SchemaScript"/>).</summary>
    public static Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        SchemaScript.ApplyAsync(dataSource, "event-store", Script.Value, 4711001, cancellationToken);
}
