using Logistics.EventStore.Embedded;
using Npgsql;

namespace Logistics.Testing;

/// <summary>
/// One private PostgreSQL per test process, started on first use in a temporary folder (fsync off) and stopped
/// when the process exits; each test class gets a fresh database. LOGISTICS_TEST_PG may name an existing server
/// (a connection string to its postgres database) instead.
/// </summary>
public static class PostgresServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static EmbeddedPostgres? _server;
    private static string? _baseConnectionString;
    private static int _counter;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var baseConnection = await BaseConnectionStringAsync();
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(baseConnection))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(baseConnection) { Database = name }.ConnectionString;
    }

    private static async Task<string> BaseConnectionStringAsync()
    {
        if (_baseConnectionString is not null)
        {
            return _baseConnectionString;
        }

        await Gate.WaitAsync();
        try
        {
            if (_baseConnectionString is not null)
            {
                return _baseConnectionString;
            }

            var external = Environment.GetEnvironmentVariable("LOGISTICS_TEST_PG");
            if (!string.IsNullOrWhiteSpace(external))
            {
                _baseConnectionString = external;
                return external;
            }

            var folder = Path.Combine(Path.GetTempPath(), $"logistics-test-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
            _server = await EmbeddedPostgres.StartAsync(folder, new EmbeddedPostgresOptions { Durable = false, MaxConnections = 1000 });
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                _server.StopAsync().GetAwaiter().GetResult();
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover temporary folder is harmless.
                }
                catch (UnauthorizedAccessException)
                {
                    // Same.
                }
            };
            _baseConnectionString = _server.ConnectionString();
            return _baseConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }
}
