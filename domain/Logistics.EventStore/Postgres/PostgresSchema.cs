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

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Two nodes starting at once must not race on CREATE: serialise on an advisory lock.
        await using var command = new NpgsqlCommand(
            "select pg_advisory_lock(4711001);" + Script.Value + ";select pg_advisory_unlock(4711001);", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
