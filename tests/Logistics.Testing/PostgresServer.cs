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

            SweepLeftovers();
            var folder = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
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
                    // Left for the next test process's sweep.
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

    private const string FolderPrefix = "logistics-test-pg-";

    /// <summary>
    /// Removes the servers of test processes that died without stopping theirs (killed by a timeout, a crash, Ctrl-C):
    /// each leaves a data folder of a gigabyte or more and, sometimes, its postmaster. A folder is another process's
    /// while the process named in it lives.
    /// </summary>
    private static void SweepLeftovers()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var name = Path.GetFileName(folder);
            var pid = name[FolderPrefix.Length..].Split('-')[0];
            if (!int.TryParse(pid, out var owner) || Alive(owner))
            {
                continue;
            }

            try
            {
                if (File.Exists(Path.Combine(folder, "postmaster.pid"))
                    && int.TryParse(File.ReadLines(Path.Combine(folder, "postmaster.pid")).FirstOrDefault(), out var postmaster) && Alive(postmaster))
                {
                    using var orphan = System.Diagnostics.Process.GetProcessById(postmaster);
                    orphan.Kill();
                    orphan.WaitForExit(10_000);
                }

                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Another process sweeping the same folder, or a file still held: the next sweep takes it.
            }
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
