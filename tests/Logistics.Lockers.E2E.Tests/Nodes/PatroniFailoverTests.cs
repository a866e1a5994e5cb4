using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Logistics.EventStore.PersonalData;
using Logistics.Lockers.E2E.Tests.Support;
using Logistics.Testing;
using Logistics.Testing.Core;
using Npgsql;
using Xunit.Abstractions;

namespace Logistics.Lockers.E2E.Tests.Nodes;

/// <summary>
/// Issue 12, part 3: PostgreSQL survives losing a machine. A primary and a synchronous standby managed by Patroni with
/// etcd (<see cref="PatroniCluster"/>, as api/README.md deploys them); an API node, a process of its own, on Npgsql's
/// multi-host connection string (Target Session Attributes=read-write). Shops register parcels under load, each with
/// an Idempotency-Key, retrying as a real client does; the primary's machine is killed (Patroni and PostgreSQL, SIGKILL)
/// in the middle. Patroni promotes the standby, the API finds it by itself, and then: every registration a client was
/// told succeeded is on the new primary, none twice, and the projections went on from their checkpoints to the head of
/// the log without a gap or a duplicate.
/// </summary>
public sealed class PatroniFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 6;
    private PatroniCluster _cluster = null!;
    private NodeProcess _node = null!;
    private TempDirectory _files = null!;

    public async Task InitializeAsync()
    {
        var started = Stopwatch.StartNew();
        _cluster = await PatroniCluster.StartAsync();
        output.WriteLine($"cluster ready (a leader and a synchronous standby) in {started.Elapsed.TotalSeconds:F1} s");
        _files = new TempDirectory("logistics-patroni-api");
        _node = await NodeProcess.StartAsync(new Dictionary<string, string>
        {
            ["LOGISTICS_DB"] = _cluster.ConnectionString,
            ["LOGISTICS_OPERATOR_KEY"] = TestCore.OperatorKey,
            ["LOGISTICS_PERSONAL_DATA_KEK"] = KeyEncryptionKeys.NewBase64(),
            ["LOGISTICS_ERASURE_LEDGER"] = _files.File("erasures.ledger"),
            ["LOGISTICS_NO_NOTIFICATIONS"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _files?.Dispose();
    }

    [Fact]
    public async Task ThePrimaryLostUnderLoadLosesNoAcknowledgedWriteAndTheApiResumesByItself()
    {
        using var operatorClient = Client(TestCore.OperatorKey);
        var shop = await RegisterAsync(operatorClient, "/api/shops", new { name = "Boulangerie", address = "1 rue Nationale", latitude = 47.4130, longitude = 0.9833 });
        var compartments = Enumerable.Range(1, 4).Select(n => new { number = n, size = "S", lowHeight = false });
        var locker = await RegisterAsync(operatorClient, "/api/lockers", new { name = "Consigne Mairie", address = "Place de la Mairie", latitude = 47.4124, longitude = 0.9835, compartments });

        // The load: each client registers parcels one after another until told to stop, each under its own key.
        var load = new Load();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, Clients).Select(i => Task.Run(() => ClientAsync(i, shop.Key, locker.Id, load, stop.Token))).ToList();
        var loading = Stopwatch.StartNew();
        await Wait.UntilAsync(() => load.Acknowledged.Count >= 20 && loading.Elapsed > TimeSpan.FromSeconds(5), "5 s of registrations under load", seconds: 60);

        // The primary's machine, as Patroni names it now, is lost.
        var (primary, standby) = await _cluster.WaitForLeaderAndSyncStandbyAsync(TimeSpan.FromSeconds(30));
        var beforeKill = load.Acknowledged.Count;
        var clock = Stopwatch.StartNew();
        await _cluster.KillAsync(primary);
        // Requests sent from now on cannot reach the old primary: the first of them answered 2xx measures the outage.
        load.KilledAt = clock;
        output.WriteLine($"killed {primary.Name} (the primary) with {beforeKill} registrations acknowledged; {standby.Name} is the synchronous standby");
        var promoted = await _cluster.LeaderAsync(TimeSpan.FromSeconds(60), other: primary);
        var promotedAfter = clock.Elapsed;
        Assert.Equal(standby.Name, promoted.Name);
        output.WriteLine($"{promoted.Name} promoted {promotedAfter.TotalSeconds:F1} s after the kill");

        await Wait.UntilAsync(() => Task.FromResult(load.FirstAcknowledgedAfterKill is not null), () => $"a registration acknowledged after the kill\n{string.Join('\n', _node.Log.TakeLast(30))}", seconds: 60);
        output.WriteLine($"first registration sent after the kill and acknowledged {load.FirstAcknowledgedAfterKill!.Value.TotalSeconds:F1} s after the kill");
        await Task.Delay(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        var afterKill = load.Acknowledged.Count - beforeKill;
        output.WriteLine(
            $"{load.Acknowledged.Count} registrations acknowledged ({afterKill} after the kill); {load.Retries} retries; answers " +
            $"{string.Join(", ", load.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}, {load.Unanswered} unanswered");
        Assert.True(afterKill >= 10, $"only {afterKill} registrations acknowledged after the kill");
        Assert.Empty(load.Failures);
        Assert.True(load.Statuses.GetValueOrDefault(503) > 0, "no 503 while no primary answered: the outage went unseen");

        // Every acknowledged registration is on the new primary, once: one parcel stream per key, no other.
        await using var newPrimary = NpgsqlDataSource.Create(PatroniCluster.ConnectionStringOf(promoted));
        var acknowledged = load.Acknowledged.Values.ToHashSet();
        Assert.Equal(load.Acknowledged.Count, acknowledged.Count);
        var streams = await QueryAsync(newPrimary, "select stream_id from es_events where stream_id like 'parcel-%' and version = 1", r => r.GetString(0));
        Assert.Equal(acknowledged.Order(), streams.Select(s => s["parcel-".Length..]).Order());

        // The projections go on from their checkpoints to the log's head: one read-model row per parcel stream.
        await Wait.UntilAsync(
            async () => (await LaggingCheckpointsAsync(newPrimary)).Count == 0,
            () => $"every checkpoint to reach the head of the log; behind: {string.Join(", ", LaggingCheckpointsAsync(newPrimary).GetAwaiter().GetResult())}",
            seconds: 90);
        var rows = await QueryAsync(newPrimary, "select parcel_id from rm_parcels", r => r.GetString(0));
        Assert.Equal(acknowledged.Order(), rows.Order());
        using var shopClient = Client(shop.Key);
        foreach (var parcel in acknowledged)
        {
            var response = await shopClient.GetAsync($"/api/parcels/{parcel}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/parcels/{parcel}: {(int)response.StatusCode}");
        }

        output.WriteLine($"all {acknowledged.Count} parcels on {promoted.Name}, once each, in the store and in rm_parcels; every checkpoint at the head {clock.Elapsed.TotalSeconds:F1} s after the kill");
    }

    /// <summary>
    /// One shop's client: registers a parcel with a fresh Idempotency-Key and, while no answer or a 5xx comes (or 409:
    /// the same request still running), sends it again with the same key after the answer's Retry-After (at most 1 s),
    /// as a real client would. A registration still unanswered after 60 s is a failure, and so is a 5xx other than
    /// the database's 503.
    /// </summary>
    private async Task ClientAsync(int index, string shopKey, string lockerId, Load load, CancellationToken stop)
    {
        using var client = Client(shopKey);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = $"patroni-{index}-{n}-{Guid.NewGuid():N}";
            var body = new
            {
                recipient = new { name = "Camille Martin", phone = $"+33 6 {index + 10:00} {n % 100:00} 33 44", email = "camille@example.org" },
                size = "S",
                destination = new { kind = "locker", lockerId },
            };
            var giveUp = Stopwatch.StartNew();
            while (true)
            {
                var sentAfterKill = load.KilledAt?.Elapsed;
                TimeSpan wait;
                try
                {
                    using var response = await client.PostJsonAsync("/api/parcels", body, key);
                    var status = (int)response.StatusCode;
                    load.Statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                    var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        var parcel = JsonDocument.Parse(text).RootElement.GetProperty("parcelId").GetString()!;
                        if (load.Acknowledged.GetOrAdd(key, parcel) != parcel)
                        {
                            load.Failures.Add($"{key}: answered {parcel} after {load.Acknowledged[key]}");
                        }

                        if (sentAfterKill is not null && load.KilledAt is { } killed)
                        {
                            load.AcknowledgedAfterKill(killed.Elapsed);
                        }

                        break;
                    }

                    if (status < 500 && !(status == 409 && text.Contains("idempotency-in-progress", StringComparison.Ordinal)))
                    {
                        load.Failures.Add($"{key}: {status} {text}");
                        break;
                    }

                    // While no primary answers, the API says so: 503, the problem's code and when to try again.
                    if (status >= 500 && !(status == 503 && response.Headers.RetryAfter?.Delta is not null && text.Contains("\"database-unavailable\"", StringComparison.Ordinal)))
                    {
                        load.Failures.Add($"{key}: {status} {text}");
                    }

                    wait = TimeSpan.FromSeconds(Math.Min(1, response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // No answer (the request timed out on a dead connection): the same request goes again.
                    Interlocked.Increment(ref load.Unanswered);
                    wait = TimeSpan.FromMilliseconds(200);
                }

                Interlocked.Increment(ref load.Retries);
                if (giveUp.Elapsed > TimeSpan.FromSeconds(60))
                {
                    load.Failures.Add($"{key}: not acknowledged after 60 s");
                    break;
                }

                await Task.Delay(wait, CancellationToken.None);
            }
        }
    }

    private static async Task<List<string>> LaggingCheckpointsAsync(NpgsqlDataSource dataSource) =>
        await QueryAsync(
            dataSource,
            """
            select c.name || ' at ' || c.seq
            from es_checkpoints c, (select tx_id, seq from es_events order by tx_id desc, seq desc limit 1) head
            where (c.tx_id, c.seq) <> (head.tx_id, head.seq)
            """,
            r => r.GetString(0));

    private static async Task<List<T>> QueryAsync<T>(NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static async Task<(string Id, string Key)> RegisterAsync(HttpClient client, string path, object body)
    {
        var json = await TestCore.ReadAsync<JsonElement>(await client.PostJsonAsync(path, body));
        return (json.GetProperty("id").GetString()!, json.GetProperty("apiKey").GetString()!);
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = _node.Url, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>What the clients were told.</summary>
    private sealed class Load
    {
        public ConcurrentDictionary<string, string> Acknowledged { get; } = new();

        public ConcurrentDictionary<int, int> Statuses { get; } = new();

        public ConcurrentBag<string> Failures { get; } = [];

        public int Retries;

        public int Unanswered;

        private long _firstAfterKillTicks = -1;

        public volatile Stopwatch? KilledAt;

        public TimeSpan? FirstAcknowledgedAfterKill => Interlocked.Read(ref _firstAfterKillTicks) is >= 0 and var ticks ? TimeSpan.FromTicks(ticks) : null;

        public void AcknowledgedAfterKill(TimeSpan at) => Interlocked.CompareExchange(ref _firstAfterKillTicks, at.Ticks, -1);
    }
}
