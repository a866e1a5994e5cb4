using Logistics.EventStore.Postgres;
using Npgsql;

namespace Logistics.Application.Schema;

/// <summary>Creates the event store's tables and the application's own (credentials, idempotency, outbox, lockers' queues, planning).</summary>
public static class ApplicationSchema
{
    private const long AdvisoryLock = 4_711_002;

    private static readonly Lazy<string> Script = new(() => SchemaScript.Embedded(typeof(ApplicationSchema).Assembly, "Logistics.Application.ApplicationSchema.sql"));

    /// <summary>Idempotent: run at every start, by any number of nodes at once (see <see cref="SchemaScript"/>).</summary>
    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await PostgresSchema.EnsureAsync(dataSource, cancellationToken);
        await SchemaScript.ApplyAsync(dataSource, "application", Script.Value, AdvisoryLock, cancellationToken);
    }
}
