using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Logistics.EventStore.Embedded;

/// <summary>
/// A private PostgreSQL server started from the installed binaries in a data folder of ours: the demo's
/// default and the tests' database. When running as root the server runs as the <c>postgres</c> user.
/// A second start on the same folder reuses its data.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;
    private bool _stopped;

    private EmbeddedPostgres(string dataDirectory, string binDirectory, int port, bool asPostgresUser)
    {
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Connection string to a database on this server (trust authentication on loopback).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=64";

    /// <summary>Initialises the folder if it is new, starts the server and waits until it accepts connections.</summary>
    public static async Task<EmbeddedPostgres> StartAsync(
        string dataDirectory, EmbeddedPostgresOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedPostgresOptions();
        var bin = FindBinDirectory();
        var asPostgres = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", dataDirectory], false, cancellationToken);
            await RunAsync("chmod", ["700", dataDirectory], false, cancellationToken);
        }

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            options.Log?.Invoke($"Initialising a new PostgreSQL data folder in {dataDirectory}");
            await RunAsync(
                Path.Combine(bin, "initdb"),
                ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                asPostgres,
                cancellationToken);
        }

        // A server left running by a killed process still holds the folder: stop it first.
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", dataDirectory, "-m", "fast", "-w", "stop"], asPostgres, cancellationToken, allowFailure: true);
        }

        var port = options.Port ?? FreePort();
        var settings = new List<string>
        {
            $"-p {port}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories='{dataDirectory}'",
            $"-c max_connections={options.MaxConnections}",
            "-c shared_buffers=128MB",
        };
        if (!options.Durable)
        {
            settings.AddRange(["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]);
        }

        options.Log?.Invoke($"Starting PostgreSQL on 127.0.0.1:{port}");
        await RunAsync(
            Path.Combine(bin, "pg_ctl"),
            ["-D", dataDirectory, "-l", Path.Combine(dataDirectory, "server.log"), "-o", string.Join(' ', settings), "-w", "-t", "60", "start"],
            asPostgres,
            cancellationToken);

        var server = new EmbeddedPostgres(dataDirectory, bin, port, asPostgres);
        await server.WaitUntilReadyAsync(cancellationToken);
        return server;
    }

    /// <summary>Creates a database if it does not exist yet.</summary>
    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = name });
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{name.Replace("\"", "", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "fast", "-w", "stop"], _asPostgresUser, CancellationToken.None, allowFailure: true);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (attempt < 100)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static string FindBinDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LOGISTICS_PG_BIN");
        var candidates = new[] { fromEnvironment, "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin" };
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(Path.Combine(candidate, "pg_ctl")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL binaries were not found (looked in /usr/lib/postgresql/15..17/bin). Install them with " +
            "'apt-get install postgresql-15', or set LOGISTICS_PG_BIN to the folder holding pg_ctl.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(
        string file, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} failed (exit {process.ExitCode}): {(await error).Trim()} {(await output).Trim()}");
        }
    }
}

/// <summary>How to run the embedded server.</summary>
public sealed record EmbeddedPostgresOptions
{
    /// <summary>A fixed port, or null for a free one.</summary>
    public int? Port { get; init; }

    /// <summary>False turns fsync off: for tests only, never for data anyone keeps.</summary>
    public bool Durable { get; init; } = true;

    public int MaxConnections { get; init; } = 200;

    public Action<string>? Log { get; init; }
}
