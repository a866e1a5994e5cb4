using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Logistics.Testing;
using Npgsql;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>
/// A PostgreSQL cluster as api/README.md deploys it, on loopback: one etcd and two Patroni nodes running PostgreSQL 15,
/// a primary and a synchronous standby (Patroni's <c>synchronous_mode</c>), with short timeouts so that a lost primary
/// is replaced in seconds. Each node is a "machine": its Patroni process and the PostgreSQL it runs, killed together.
/// When the tests run as root, Patroni (and so PostgreSQL) runs as the <c>postgres</c> user.
/// </summary>
public sealed class PatroniCluster : IAsyncDisposable
{
    public const string Scope = "logistics";
    public const string Database = "logistics";
    private static readonly string BinDirectory = Environment.GetEnvironmentVariable("LOGISTICS_PG_BIN") ?? "/usr/lib/postgresql/15/bin";
    private static readonly bool AsPostgres = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private readonly TempDirectory _folder;
    private readonly Process _etcd;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };

    private PatroniCluster(TempDirectory folder, Process etcd, IReadOnlyList<Node> nodes)
    {
        _folder = folder;
        _etcd = etcd;
        Nodes = nodes;
    }

    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>
    /// Npgsql's multi-host connection string, as api/README.md gives it: both nodes, connecting to whichever one accepts
    /// writes. Npgsql remembers a host it found down or read-only for Host Recheck Seconds (10 by default): 2 lets it
    /// see the promoted standby soon after Patroni promotes it.
    /// </summary>
    public string ConnectionString =>
        $"Host={string.Join(',', Nodes.Select(n => $"127.0.0.1:{n.PostgresPort}"))};Username=postgres;Database={Database};" +
        "Target Session Attributes=read-write;Host Recheck Seconds=2;Timeout=5";

    /// <summary>A connection string to one node only (to read what a given server holds).</summary>
    public static string ConnectionStringOf(Node node, string database = Database) =>
        $"Host=127.0.0.1;Port={node.PostgresPort};Username=postgres;Database={database};Pooling=false";

    /// <summary>Starts etcd and both nodes, waits for a leader and a streaming synchronous standby, creates the database.</summary>
    public static async Task<PatroniCluster> StartAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "postgres")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 was not found in {BinDirectory}: apt-get install postgresql-15 (see .ci/packages).");
        }

        var folder = new TempDirectory("logistics-patroni");
        var etcdClient = Loopback.FreePort();
        var etcdPeer = Loopback.FreePort();
        var etcd = Start("etcd", [
            "--name", "etcd0",
            "--data-dir", Path.Combine(folder.Path, "etcd"),
            "--listen-client-urls", $"http://127.0.0.1:{etcdClient}",
            "--advertise-client-urls", $"http://127.0.0.1:{etcdClient}",
            "--listen-peer-urls", $"http://127.0.0.1:{etcdPeer}",
            "--initial-advertise-peer-urls", $"http://127.0.0.1:{etcdPeer}",
            "--initial-cluster", $"etcd0=http://127.0.0.1:{etcdPeer}",
            "--initial-cluster-token", $"logistics-{Guid.NewGuid():N}",
            "--initial-cluster-state", "new",
            "--log-level", "warn",
        ], Path.Combine(folder.Path, "etcd.log"), asPostgres: false);

        var nodes = new List<Node>();
        for (var i = 0; i < 2; i++)
        {
            var directory = Path.Combine(folder.Path, $"pg{i}");
            Directory.CreateDirectory(directory);
            nodes.Add(new Node($"pg{i}", directory, Loopback.FreePort(), Loopback.FreePort()));
        }

        if (AsPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", folder.Path]);
        }

        var cluster = new PatroniCluster(folder, etcd, nodes);
        try
        {
            await cluster.WaitForEtcdAsync(etcdClient);
            foreach (var node in nodes)
            {
                File.WriteAllText(node.ConfigFile, Configuration(node, etcdClient));
                if (AsPostgres)
                {
                    await RunAsync("chown", ["postgres:postgres", node.ConfigFile]);
                }

                StartNode(node);
            }

            var (leader, _) = await cluster.WaitForLeaderAndSyncStandbyAsync(TimeSpan.FromSeconds(90));
            // A test process that dies takes its PostgreSQL servers with it, not only their Patroni.
            foreach (var pid in nodes.Select(n => n.PostmasterPid()).OfType<int>())
            {
                ChildProcesses.Track(Process.GetProcessById(pid));
            }

            await using (var connection = new NpgsqlConnection(ConnectionStringOf(leader, "postgres")))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"create database {Database}", connection);
                await create.ExecuteNonQueryAsync();
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Patroni's <c>GET /cluster</c> from the first node that answers: each member's name, role (leader, sync_standby,
    /// replica) and state; null when no node answers.
    /// </summary>
    public async Task<IReadOnlyList<Member>?> MembersAsync()
    {
        foreach (var node in Nodes.Where(n => !n.Killed))
        {
            try
            {
                var cluster = await _http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{node.RestPort}/cluster");
                return cluster.GetProperty("members").EnumerateArray()
                    .Select(m => new Member(
                        m.GetProperty("name").GetString()!,
                        m.GetProperty("role").GetString()!,
                        m.GetProperty("state").GetString()!,
                        m.TryGetProperty("timeline", out var timeline) ? timeline.GetInt32() : 0))
                    .ToList();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                // This node's Patroni is down or busy: ask the next.
            }
        }

        return null;
    }

    /// <summary>Waits until one member leads (running) and the other is its synchronous standby (running, streaming).</summary>
    public async Task<(Node Leader, Node Standby)> WaitForLeaderAndSyncStandbyAsync(TimeSpan timeout)
    {
        IReadOnlyList<Member>? last = null;
        await Wait.UntilAsync(
            async () =>
            {
                last = await MembersAsync();
                return last is not null
                    && last.Any(m => m is { Role: "leader", State: "running" })
                    && last.Any(m => m is { Role: "sync_standby", State: "running" or "streaming" });
            },
            () => $"a leader and a synchronous standby; Patroni says {Describe(last)}\n{Logs()}",
            (int)timeout.TotalSeconds);
        return (Nodes.Single(n => n.Name == last!.Single(m => m.Role == "leader").Name), Nodes.Single(n => n.Name == last!.Single(m => m.Role == "sync_standby").Name));
    }

    /// <summary>The node Patroni names leader, once one runs.</summary>
    public async Task<Node> LeaderAsync(TimeSpan timeout, Node? other = null)
    {
        IReadOnlyList<Member>? last = null;
        await Wait.UntilAsync(
            async () =>
            {
                last = await MembersAsync();
                return last?.Any(m => m is { Role: "leader", State: "running" } && (other is null || m.Name != other.Name)) is true;
            },
            () => $"a leader{(other is null ? "" : " other than " + other.Name)}; Patroni says {Describe(last)}\n{Logs()}",
            (int)timeout.TotalSeconds);
        return Nodes.Single(n => n.Name == last!.Single(m => m.Role == "leader").Name);
    }

    /// <summary>
    /// The machine is lost: SIGKILL to its Patroni and to its PostgreSQL (the postmaster and every backend, as a power
    /// cut would), nothing shut down cleanly. Its leader key in etcd lapses after the ttl; the standby then takes over.
    /// </summary>
    public async Task KillAsync(Node node)
    {
        if (!Nodes.Contains(node))
        {
            throw new ArgumentException($"{node.Name} is not a node of this cluster.", nameof(node));
        }

        node.Killed = true;
        await StopAsync(node);
    }

    /// <summary>Where each node's and etcd's log ends (for a failure's message).</summary>
    public string Logs() => string.Join(
        '\n',
        Nodes.Select(n => n.LogFile).Prepend(Path.Combine(_folder.Path, "etcd.log"))
            .Select(f => $"--- {Path.GetFileName(Path.GetDirectoryName(f))}/{Path.GetFileName(f)}:\n{Tail(f)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await StopAsync(node);
            node.Patroni?.Dispose();
        }

        await ChildProcesses.KillAsync(_etcd);
        _etcd.Dispose();
        _http.Dispose();
        NpgsqlConnection.ClearAllPools();
        _folder.Dispose();
    }

    /// <summary>
    /// SIGKILL to Patroni and to its PostgreSQL together. PostgreSQL holds Patroni's output pipes (it logs to its
    /// stderr), and waiting for Patroni's exit waits for them to close: the server goes first.
    /// </summary>
    private static async Task StopAsync(Node node)
    {
        var postmaster = node.PostmasterPid();
        var patroni = node.Patroni;
        if (patroni is not null)
        {
            try
            {
                patroni.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        if (postmaster is { } pid)
        {
            KillTree(pid);
        }

        if (patroni is not null)
        {
            await ChildProcesses.KillAsync(patroni);
        }
    }

    private static string Describe(IReadOnlyList<Member>? members) =>
        members is null ? "nothing (no REST API answers)" : string.Join(", ", members.Select(m => $"{m.Name} {m.Role} {m.State} (timeline {m.Timeline})"));

    private static void StartNode(Node node) => node.Patroni = Start("patroni", [node.ConfigFile], node.LogFile, AsPostgres);

    private async Task WaitForEtcdAsync(int port) =>
        await Wait.UntilAsync(
            async () =>
            {
                try
                {
                    return (await _http.GetAsync($"http://127.0.0.1:{port}/health")).IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            },
            () => "etcd to answer /health\n" + Tail(Path.Combine(_folder.Path, "etcd.log")),
            seconds: 30);

    /// <summary>
    /// Patroni's settings for one node. ttl, loop_wait and retry_timeout keep Patroni's rule loop_wait + 2 ×
    /// retry_timeout ≤ ttl: the leader key lapses 10 s after its holder is lost, and the standby, which watches it,
    /// takes over then. Synchronous mode without strict: a commit returns once the standby has the WAL, and a lone
    /// survivor still accepts writes (strict mode would stop them until a second standby came back).
    /// </summary>
    private static string Configuration(Node node, int etcdPort) => $"""
        scope: {Scope}
        name: {node.Name}
        log:
          level: INFO
        restapi:
          listen: 127.0.0.1:{node.RestPort}
          connect_address: 127.0.0.1:{node.RestPort}
        etcd3:
          hosts: 127.0.0.1:{etcdPort}
        bootstrap:
          dcs:
            ttl: 10
            loop_wait: 1
            retry_timeout: 4
            maximum_lag_on_failover: 1048576
            synchronous_mode: true
            synchronous_mode_strict: false
            postgresql:
              use_pg_rewind: false
              use_slots: true
              parameters:
                max_connections: 300
                wal_level: replica
                hot_standby: 'on'
                max_wal_senders: 5
                max_replication_slots: 5
          initdb:
            - encoding: UTF8
            - locale: C
        postgresql:
          listen: 127.0.0.1:{node.PostgresPort}
          connect_address: 127.0.0.1:{node.PostgresPort}
          data_dir: {node.DataDirectory}
          bin_dir: {BinDirectory}
          pgpass: {Path.Combine(node.Directory, "pgpass")}
          authentication:
            superuser:
              username: postgres
            replication:
              username: replicator
          parameters:
            unix_socket_directories: '{node.Directory}'
            shared_buffers: 64MB
          pg_hba:
            - local all all trust
            - host replication replicator 127.0.0.1/32 trust
            - host all all 127.0.0.1/32 trust
        """;

    private static Process Start(string program, IReadOnlyList<string> arguments, string logFile, bool asPostgres)
    {
        // setpriv executes the program in its own place (runuser would stay its parent): the process started is
        // Patroni itself, so a SIGKILL reaches it.
        var start = new ProcessStartInfo(asPostgres ? "setpriv" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "--reuid=postgres", "--regid=postgres", "--init-groups", "--", program })
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["HOME"] = Path.GetDirectoryName(logFile)!;
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        ChildProcesses.Track(process);
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var gate = new object();
        void Write(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    try
                    {
                        log.WriteLine(line);
                    }
                    catch (ObjectDisposedException)
                    {
                        // The cluster was disposed with the process still talking.
                    }
                }
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) =>
        {
            lock (gate)
            {
                log.Dispose();
            }
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGKILL to a process and all its descendants (read from /proc), children first found, all killed.</summary>
    private static void KillTree(int pid)
    {
        var all = new List<int> { pid };
        for (var i = 0; i < all.Count; i++)
        {
            all.AddRange(ChildrenOf(all[i]));
        }

        foreach (var id in all)
        {
            try
            {
                using var process = Process.GetProcessById(id);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
    }

    private static IEnumerable<int> ChildrenOf(int pid)
    {
        foreach (var stat in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "stat")))
        {
            string text;
            try
            {
                text = File.ReadAllText(stat);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid …: the command may hold spaces or parentheses, so fields are read after the last ')'.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], CultureInfo.InvariantCulture, out var parent) && parent == pid
                && int.TryParse(Path.GetFileName(Path.GetDirectoryName(stat)), CultureInfo.InvariantCulture, out var child))
            {
                yield return child;
            }
        }
    }

    private static string Tail(string file, int lines = 15)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed (exit {process.ExitCode}): {await error}");
        }
    }

    /// <summary>A member as Patroni's REST API reports it.</summary>
    public sealed record Member(string Name, string Role, string State, int Timeline);

    /// <summary>One "machine": a Patroni node and the PostgreSQL it runs.</summary>
    public sealed class Node(string name, string directory, int postgresPort, int restPort)
    {
        public string Name { get; } = name;

        public string Directory { get; } = directory;

        public int PostgresPort { get; } = postgresPort;

        public int RestPort { get; } = restPort;

        public string DataDirectory => Path.Combine(Directory, "data");

        public string ConfigFile => Path.Combine(Directory, "patroni.yml");

        public string LogFile => Path.Combine(Directory, "patroni.log");

        internal Process? Patroni { get; set; }

        internal bool Killed { get; set; }

        /// <summary>The postmaster's process id, from the first line of <c>postmaster.pid</c>; null when none runs.</summary>
        public int? PostmasterPid()
        {
            try
            {
                var file = Path.Combine(DataDirectory, "postmaster.pid");
                return File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}
