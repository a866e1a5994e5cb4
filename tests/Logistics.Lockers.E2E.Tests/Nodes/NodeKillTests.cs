using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Logistics.Demo;
using Logistics.Domain.Parcels;
using Logistics.EventStore.PersonalData;
using Logistics.Lockers.Doors;
using Logistics.Lockers.E2E.Tests.Support;
using Logistics.Lockers.Host.Link;
using Logistics.Testing;
using Logistics.Testing.Core;
using Xunit.Abstractions;

namespace Logistics.Lockers.E2E.Tests.Nodes;

/// <summary>
/// Issue 12, part 2: two API nodes on one PostgreSQL behind HAProxy. Node A is a process of its own holding the
/// board's WebSocket (node B is its backup); deposits are asked of either node, so commands queued on B reach the
/// board on A through NOTIFY. Then A is killed with SIGKILL in the middle of a deposit (its answer never sent) and a
/// collection (typed at the keypad, its events on the way to A): the board reconnects through HAProxy to B, the
/// courier's retry (same Idempotency-Key) lands on B, B takes over A's background work. Every acknowledged request is
/// in the store, every board event once, every door opened once, every parcel deposited and collected once, and the
/// compartments freed by the follow-up work that now runs on B.
/// </summary>
public sealed class NodeKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _kek = KeyEncryptionKeys.NewBase64();
    private TestCore _nodeB = null!;
    private TestNetwork _net = null!;

    public async Task InitializeAsync()
    {
        _nodeB = await TestCore.StartAsync(realClock: true, backgroundWork: true, configure: o => o with { KeyEncryptionKeys = KeyEncryptionKeys.Parse(_kek) });
        _net = await TestNetwork.CreateAsync(_nodeB);
    }

    public async Task DisposeAsync() => await _nodeB.DisposeAsync();

    [Fact]
    public async Task NodeAKilledMidDepositAndMidCollectionLosesNothingAndDoesNothingTwice()
    {
        await using var gateway = await SmsGateway.StartAsync(_nodeB.Sms);
        var nodeA = await NodeProcess.StartAsync(new Dictionary<string, string>
        {
            ["LOGISTICS_DB"] = _nodeB.ConnectionString,
            ["LOGISTICS_PERSONAL_DATA_KEK"] = _kek,
            ["LOGISTICS_ERASURE_LEDGER"] = TestCore.ErasureLedgerOf(_nodeB.ConnectionString),
            ["LOGISTICS_SMS_URL"] = gateway.Url.ToString(),
            ["LOGISTICS_NO_NOTIFICATIONS"] = "1",
        });
        await using var killLater = nodeA;
        using var haproxyFiles = new TempDirectory("haproxy");
        await using var balancer = await LoadBalancer.StartAsync(haproxyFiles.Path, Loopback.FreePort(), [nodeA.Url, _nodeB.BaseAddress], backups: true);
        await using var board = await InProcessBoard.StartAsync(_net, balancer.Url, web: true);
        await Wait.UntilAsync(() => board.Link.State == LinkState.Online, "the board to connect through HAProxy (to node A)");
        // Its socket is on node A (node B is HAProxy's backup), as A's log says.
        await Wait.UntilAsync(() => nodeA.Log.Any(line => line.Contains($"Locker {_net.LockerId} connected", StringComparison.Ordinal)), "node A to log the board's connection");
        using var throughBalancer = Client(balancer.Url, _net.CourierKey);

        // Before the loss: a deposit asked of node A (through HAProxy), another asked of node B directly.
        var first = await DepositAsync(throughBalancer, board);
        var second = await DepositAsync(_net.Courier, board);
        await CollectAsync(board, first);

        // Node A dies with a deposit in flight and a collection on the way: the door opens on the board either way.
        var third = await RegisteredAndPickedUpAsync(throughBalancer);
        var deposit = DepositWithRetriesAsync(throughBalancer, third);
        Assert.True((await board.TypeAsync(second.Code)).Accepted);
        await Task.Delay(50);
        var killedAt = Stopwatch.StartNew();
        await nodeA.KillAsync();
        await Wait.UntilAsync(() => Phase(board, second.Compartment) == DoorPhase.Open, "the second parcel's door to open at the keypad");
        await board.DoorAsync(second.Compartment, "close");

        // The board finds node B through HAProxy; the deposit's retry lands there too and opens the door once.
        await Wait.UntilAsync(() => board.Link.State == LinkState.Online && board.Link.Sessions >= 2, "the board to reconnect through HAProxy to node B", seconds: 60);
        output.WriteLine($"board back online through node B {killedAt.Elapsed.TotalSeconds:F1} s after the kill");
        third = third with { Compartment = await deposit };
        await ClosedAfterDepositAsync(board, third.Compartment);
        third = third with { Code = await _nodeB.CodeSentAsync(third.TrackingId, third.Phone) };
        await CollectAsync(board, third);
        var fourth = await DepositAsync(throughBalancer, board);
        await CollectAsync(board, fourth);
        await board.DrainedAsync();
        output.WriteLine($"all drained {killedAt.Elapsed.TotalSeconds:F1} s after the kill");

        // Everything acknowledged is stored, once.
        var parcels = new[] { first, second, third, fourth };
        foreach (var parcel in parcels)
        {
            await _net.StatusAsync(parcel.TrackingId, "Collected");
            var events = await _nodeB.ParcelEventsAsync(parcel.ParcelId);
            Assert.Single(events.OfType<ParcelDeposited>());
            Assert.Single(events.OfType<ParcelCollected>());
        }

        var stored = await _nodeB.QueryAsync("select seq from locker_device_events where locker_id = $1 order by seq", r => r.GetInt64(0), _net.LockerId);
        Assert.Equal(Enumerable.Range(1, (int)board.App.Journal.LastSeq).Select(i => (long)i), stored);
        var pulses = File.ReadAllLines(board.PulseLogPath).Select(l => l.Split(' ')[^1]).ToList();
        Assert.Equal(pulses.Count, pulses.Distinct().Count());
        Assert.Equal(parcels.Length * 2, pulses.Count);

        // The follow-up work (node A may have held its lease) runs on B: every compartment is free again.
        await Wait.UntilAsync(
            async () => (await _net.LockerAsync()).GetProperty("compartments").EnumerateArray().All(c => c.GetProperty("status").GetString() == "free"),
            "node B's follow-up work to free the compartments",
            seconds: 60);
        output.WriteLine($"compartments freed {killedAt.Elapsed.TotalSeconds:F1} s after the kill");
    }

    private sealed record Parcel(string ParcelId, string TrackingId, string Phone, int Compartment = 0, string Code = "");

    private async Task<Parcel> RegisteredAndPickedUpAsync(HttpClient courier)
    {
        var phone = _net.NextPhone();
        var (parcel, tracking) = await _net.RegisterForLockerAsync(phone: phone);
        await SendAsync(courier, $"/api/parcels/{parcel}/pickup");
        return new Parcel(parcel, tracking, phone);
    }

    /// <summary>A parcel registered, picked up and deposited through <paramref name="courier"/>; the courier closes the door.</summary>
    private async Task<Parcel> DepositAsync(HttpClient courier, InProcessBoard board)
    {
        var parcel = await RegisteredAndPickedUpAsync(courier);
        var compartment = await DepositWithRetriesAsync(courier, parcel);
        await ClosedAfterDepositAsync(board, compartment);
        return parcel with { Compartment = compartment, Code = await _nodeB.CodeSentAsync(parcel.TrackingId, parcel.Phone) };
    }

    private static async Task<int> DepositWithRetriesAsync(HttpClient courier, Parcel parcel) =>
        (await SendAsync(courier, $"/api/parcels/{parcel.ParcelId}/deposit")).GetProperty("compartment").GetInt32();

    /// <summary>
    /// Sends a courier's request with an Idempotency-Key and, as the courier's page does, sends it again with the same
    /// key while no node answers it (a reset connection, HAProxy's 502/503 while it notices the loss).
    /// </summary>
    private static async Task<JsonElement> SendAsync(HttpClient client, string path)
    {
        var key = Guid.NewGuid().ToString("N");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var response = await client.PostJsonAsync(path, null, key);
                if (response.StatusCode is not (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
                {
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
                    return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && attempt < 100)
            {
                // No answer: the node died with the request; it goes again.
            }

            Assert.True(attempt < 100, $"{path}: no node answered");
            await Task.Delay(300);
        }
    }

    private static async Task ClosedAfterDepositAsync(InProcessBoard board, int compartment)
    {
        await Wait.UntilAsync(async () => (await board.StateAsync()).Doors.Single(d => d.Number == compartment) is { State: "open", ParcelWaiting: true }, "the deposit's door and code", seconds: 60);
        await board.DoorAsync(compartment, "close");
        await Wait.UntilAsync(() => Phase(board, compartment) == DoorPhase.Closed, "the courier to close the door");
    }

    private static async Task CollectAsync(InProcessBoard board, Parcel parcel)
    {
        Assert.True((await board.TypeAsync(parcel.Code)).Accepted, $"the code of {parcel.TrackingId} at the keypad");
        await Wait.UntilAsync(() => Phase(board, parcel.Compartment) == DoorPhase.Open, "the door to open for the customer");
        await board.DoorAsync(parcel.Compartment, "close");
        await Wait.UntilAsync(() => Phase(board, parcel.Compartment) == DoorPhase.Closed, "the customer to close the door");
    }

    private static DoorPhase Phase(InProcessBoard board, int compartment) => board.App.Controller.Doors.Status(new CompartmentId(compartment)).Phase;

    private static HttpClient Client(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
