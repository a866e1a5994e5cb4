extern alias LockerHost;
extern alias LogisticsDemo;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LockerHost::Logistics.Lockers.Host.Link;
using Logistics.Application.Notifications;
using Logistics.Application.Parcels;
using Logistics.Application.Planning;
using Logistics.Perf.LockerBoard;
using LogisticsDemo::Logistics.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Perf.Federation;

/// <summary>
/// <c>federation</c>: a département (46 networks, 2,100 shops, 300 lockers run as simulated boards over real
/// WebSockets, 150 couriers) plays a day of 20,000 parcels through the HTTP API, first on one node, then on two behind
/// HAProxy, each on a fresh private durable PostgreSQL. Prints per endpoint p50/p99, projection lag and board command
/// latency, events appended and lost, doors opened twice, a mid-day scrape of <c>/metrics</c>, and one last line. Goals
/// on the 2-core machine (2-node run): api p99 ≤ 200 ms, command p99 ≤ 1,000 ms, lag p99 ≤ 1,000 ms, lost 0. Options:
/// see <see cref="DayOptions"/>.
/// </summary>
internal static class FederationDayRunner
{
    private const string FederationKey = "lg_federation_PERFPERFPERFPERFPERFPERFPERFPERF";

    /// <summary>The servers a day runs (its core with its PostgreSQL, its HAProxy), stopped by a signal's handler too.</summary>
    private static readonly List<IAsyncDisposable> Servers = [];

    private sealed record DayResult(int Nodes, int Parcels, double Seconds, Latencies Latencies, DayTally Tally, DayChecks.Settled Settled, long EventsAppended);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = DayOptions.Parse(args);
        if (options.Nodes.Any(n => n > 1) && LoadBalancer.Executable() is null)
        {
            await Console.Error.WriteLineAsync("federation: two nodes need HAProxy in front of them: apt-get install haproxy");
            return 1;
        }

        var folder = Path.Combine(Path.GetTempPath(), "logistics-perf-federation-" + Guid.NewGuid().ToString("N")[..8]);
        // The boards' journals (SQLite, synchronous=FULL) each stand for a board's own storage: in memory here, so
        // 300 boards' commits do not queue on this machine's one disk beside the core's database.
        var boardsRoot = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", Path.GetFileName(folder)) : Path.Combine(folder, "boards");
        var results = new List<DayResult>();

        // Stopped by a signal (Ctrl-C, a CI's timeout), the runner stops its PostgreSQL and HAProxy before it exits:
        // without this they outlived it, holding their ports and folders.
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            var code = 128 + (context.Signal == PosixSignal.SIGINT ? 2 : 15);
            _ = Task.Run(async () =>
            {
                await Console.Error.WriteLineAsync($"federation: stopped by {context.Signal}; stopping its servers");
                await StopServersAsync();
                DeleteFolders(folder, boardsRoot);
                Environment.Exit(code);
            });
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            foreach (var nodes in options.Nodes)
            {
                var result = await RunDayAsync(options, nodes, Path.Combine(folder, $"{nodes}-node"), Path.Combine(boardsRoot, $"{nodes}-node"));
                Print(result, options);
                results.Add(result);
            }
        }
        finally
        {
            DeleteFolders(folder, boardsRoot);
        }

        var last = results[^1];
        var seconds = string.Join(", ", results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Seconds:F0} s on {r.Nodes} node{(r.Nodes > 1 ? "s" : "")}")));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"federation day: {last.Parcels} parcels in {seconds}; api p99 {ApiP99(last.Latencies):F0} ms; command p99 {last.Latencies.Percentile(0.99, DayPlayer.CommandLatency):F0} ms; lag p99 {last.Latencies.Percentile(0.99, DayPlayer.ProjectionLag):F0} ms; lost {results.Sum(r => r.Settled.Lost)}"));
        return results.All(r => r.Settled.Lost == 0 && r.Settled.OpenedTwice == 0) ? 0 : 1;
    }

    private static void DeleteFolders(params string[] folders)
    {
        foreach (var dir in folders)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }

    private static void Hold(IAsyncDisposable server)
    {
        lock (Servers)
        {
            Servers.Add(server);
        }
    }

    private static void Let(IAsyncDisposable server)
    {
        lock (Servers)
        {
            Servers.Remove(server);
        }
    }

    /// <summary>Stops the servers still running, the last started first.</summary>
    private static async Task StopServersAsync()
    {
        IAsyncDisposable[] running;
        lock (Servers)
        {
            running = [.. Servers];
            Servers.Clear();
        }

        foreach (var server in running.Reverse())
        {
            try
            {
                await server.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
            {
                await Console.Error.WriteLineAsync($"federation: stopping a server: {e.Message}");
            }
        }
    }

    private static async Task<DayResult> RunDayAsync(DayOptions options, int nodes, string folder, string boardsFolder)
    {
        var progress = Console.Error;
        var sms = new CodeInbox(Channel.Sms);
        await using var core = await PerfCore.StartAsync(folder, o => o with
        {
            FederationKey = FederationKey,
            NoNotifications = false,
            Senders = [sms, new CodeInbox(Channel.Email)],
            Policy = new ParcelPolicy { CollectWithin = options.CollectWithin, RemindBefore = options.CollectWithin / 2 },
            // A cut-off plans each of 46 networks: a short solver budget each, on 2 cores shared with the day.
            Planning = new PlanningOptions { SolverSeconds = 0.25 },
        });
        Hold(core);
        LoadBalancer? balancer = null;
        var front = core.Url;
        if (nodes > 1)
        {
            var urls = new List<Uri> { core.Url };
            for (var n = 1; n < nodes; n++)
            {
                urls.Add(await core.StartNodeAsync());
            }

            balancer = await LoadBalancer.StartAsync(Path.Combine(folder, "haproxy"), FreePort(), urls);
            Hold(balancer);
            front = balancer.Url;
        }

        var latencies = new Latencies();
        var setup = new Latencies();
        using var setupClient = new DayClient(front, options.Clients, setup);
        using var client = new DayClient(front, options.Clients, latencies);
        var failures = 0;
        client.Failed += line =>
        {
            if (Interlocked.Increment(ref failures) <= 5)
            {
                progress.WriteLine("  failed: " + line);
            }
        };
        IReadOnlyList<DayNetwork> networks = [];
        using var stop = new CancellationTokenSource();
        var links = new List<Task>();
        try
        {
            var built = Stopwatch.StartNew();
            networks = await Departement.BuildAsync(setupClient, FederationKey, options, core.CorePublicKeyPem, front, boardsFolder);
            var boards = networks.SelectMany(n => n.Lockers).ToList();
            links.AddRange(boards.Select(b => Task.Run(() => b.Link.RunAsync(stop.Token))));
            foreach (var courier in networks.SelectMany(n => n.Couriers))
            {
                await setupClient.SendAsync("POST /api/couriers/me/shift/start", HttpMethod.Post, "/api/couriers/me/shift/start", courier.Key, new { latitude = 43.3, longitude = 5.4 });
            }

            while (boards.Any(b => b.Link.State != LinkState.Online))
            {
                if (built.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException("The boards did not all come online in 5 minutes.");
                }

                await Task.Delay(100);
            }

            await progress.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{nodes} node{(nodes > 1 ? "s behind HAProxy" : "")}: {networks.Count} networks, {networks.Sum(n => n.Shops.Count)} shops, {boards.Count} lockers online ({options.Compartments} compartments), {networks.Sum(n => n.Couriers.Count)} couriers on shift, built in {built.Elapsed.TotalSeconds:F1} s ({setup.Failures("POST /api/shops") + setup.Failures("POST /api/lockers")} failed); playing {options.Parcels} parcels"));

            var before = (await core.QueryAsync("select count(*) from es_events", r => r.GetInt64(0)))[0];
            var day = Stopwatch.StartNew();
            var player = new DayPlayer(client, sms, networks, options, latencies, progress);
            using var dayOver = new CancellationTokenSource();
            var outbox = DrainOutboxAsync(core.Services.GetRequiredService<OutboxDispatcher>(), dayOver.Token);
            var tally = await player.PlayAsync(() => ScrapeAsync(client, FederationKey));
            await dayOver.CancelAsync();
            await outbox;
            var seconds = day.Elapsed.TotalSeconds;
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  day played in {seconds:F1} s; waiting for expiries and the boards' last acknowledgements"));
            await DayChecks.WaitAsync(core, boards, tally, options.CollectWithin, progress);
            var settled = await DayChecks.CheckAsync(core, boards, tally);
            foreach (var problem in tally.Problems.Where(p => p.StartsWith("lost", StringComparison.Ordinal)).Concat(tally.Problems).Distinct().Take(8))
            {
                await progress.WriteLineAsync("  " + problem);
            }

            tally.Retried = client.Retried;
            return new DayResult(nodes, options.Parcels, seconds, latencies, tally, settled, settled.EventsInStore - before);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(links);
            }
            catch (OperationCanceledException)
            {
            }

            foreach (var board in networks.SelectMany(n => n.Lockers))
            {
                board.Dispose();
            }

            Let(core);
            if (balancer is not null)
            {
                Let(balancer);
                await balancer.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The outbox's own loop sends at most 10 messages every 2 s a node (5 a second: a real day's 20,000 parcels need
    /// about one a second, a day compressed into minutes a hundred): the runner sends what is due as fast as it goes,
    /// as the tests do, so the recipients' codes are not the day's queue.
    /// </summary>
    private static async Task DrainOutboxAsync(OutboxDispatcher dispatcher, CancellationToken dayOver)
    {
        while (!dayOver.IsCancellationRequested)
        {
            try
            {
                if (await dispatcher.DispatchDueAsync(dayOver) == 0)
                {
                    await Task.Delay(50, dayOver);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Mid-day, what the deployment's Prometheus would scrape (the federation's key): a few of the series the figures above come from.</summary>
    private static async Task ScrapeAsync(DayClient client, string federationKey)
    {
        var text = await client.GetTextAsync("/metrics", federationKey);
        var wanted = new[] { "logistics_boards_online", "logistics_projection_lag", "logistics_door_commands_pending", "logistics_outbox_pending" };
        var lines = text.Split('\n').Where(l => !l.StartsWith('#') && wanted.Any(w => l.StartsWith(w, StringComparison.Ordinal))).Take(12).ToList();
        Console.WriteLine($"  /metrics mid-day ({text.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'))} samples), a few series:");
        foreach (var line in lines)
        {
            Console.WriteLine("    " + line);
        }
    }

    private static void Print(DayResult r, DayOptions o)
    {
        var l = r.Latencies;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"Federation day on {r.Nodes} node{(r.Nodes > 1 ? "s behind HAProxy" : "")}: {o.Networks} networks, {o.Shops} shops, {o.Lockers} lockers, {o.Couriers} couriers; {r.Parcels} parcels in {r.Seconds:F1} s ({r.Parcels / r.Seconds:F0} parcels/s), {o.Clients} clients"));
        Console.WriteLine($"  {"",-46} {"count",7} {"failed",7} {"p50 ms",8} {"p99 ms",8}");
        foreach (var name in l.Names)
        {
            Console.WriteLine(string.Create(inv, $"  {name,-46} {l.Count(name),7} {l.Failures(name),7} {l.Percentile(0.5, name),8:F1} {l.Percentile(0.99, name),8:F1}"));
        }

        var t = r.Tally;
        var s = r.Settled;
        Console.WriteLine(string.Create(inv, $"  api p99 {ApiP99(l):F1} ms over {ApiNames(l).Sum(l.Count)} requests"));
        Console.WriteLine(string.Create(inv, $"  parcels: {t.Registered} registered, {t.Deposited} deposited, {t.Collected} collected at the keypads, {s.Expired} of {t.LeftToExpire} left uncollected expired, {t.CodesRefused} codes refused, {t.Stuck} stuck; {t.Retried} requests sent again after a 409 conflict"));
        Console.WriteLine($"  parcels by status: {string.Join(", ", s.Statuses.OrderByDescending(x => x.Value).Select(x => $"{x.Key} {x.Value}"))}");
        Console.WriteLine(string.Create(inv, $"  events appended {r.EventsAppended}; events lost {s.Lost}; doors opened twice {s.OpenedTwice}"));
    }

    private static IEnumerable<string> ApiNames(Latencies l) => l.Names.Where(n => n.StartsWith("GET ", StringComparison.Ordinal) || n.StartsWith("POST ", StringComparison.Ordinal));

    private static double ApiP99(Latencies l) => l.Percentile(0.99, [.. ApiNames(l)]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
