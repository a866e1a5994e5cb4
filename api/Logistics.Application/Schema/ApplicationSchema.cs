using Logistics.EventStore.Postgres;
using Npgsql;

namespace Logistics.Application.Schema;

/// <summary>Creates the event store's tables and the application's own (credentials, idempotency, outbox, lockers' queues, planning).</summary>
public static class ApplicationSchema
{
    private const long AdvisoryLock = 4_711_002;

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(ApplicationSchema).Assembly.GetManifestResourceStream("Logistics.Application.ApplicationSchema.sql")
            ?? throw new InvalidOperationException("The application's schema is not embedded in its assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Idempotent: run at every start, by any number of nodes at once (see <see cref="SchemaScript"/>).</summary>
    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await PostgresSchema.EnsureAsync(dataSource, cancellationToken);
        await SchemaScript.ApplyAsync(dataSource, "application", Script.Value, AdvisoryLock, cancellationToken);
    }
}
