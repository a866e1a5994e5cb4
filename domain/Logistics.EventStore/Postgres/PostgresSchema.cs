using Npgsql;

namespace Logistics.EventStore.Postgres;

/// <summary>Creates or updates the event store's tables and functions; safe to run at every start.</summary>
public static class PostgresSchema
{
    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(PostgresSchema).Assembly.GetManifestResourceStream("Logistics.EventStore.Schema.sql")
            ?? throw new InvalidOperationException("The event store's schema script is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Idempotent: run at every start, by any number of nodes at once (see <see cref="SchemaScript"/>).</summary>
    public static Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        SchemaScript.ApplyAsync(dataSource, "event-store", Script.Value, 4711001, cancellationToken);
}
