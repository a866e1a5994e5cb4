using System.Net.Http.Headers;
using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Application.Notifications;
using Logistics.Application.Projections;
using Logistics.Lockers.Host.Link;
using Logistics.Testing;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Demo.Tests;

/// <summary>
/// What <c>--demo</c> runs: seeded once, its lockers' boards connected with the codes of the parcels waiting in
/// them (and no door popped open by a deposit made "hours ago"), and a restart that continues with the same data,
/// keys and board journals.
/// </summary>
public sealed class DemoNetworkTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "lg-demo-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task TheDemoSeedsOnceConnectsItsLockersAndARestartContinuesWithTheSameDataAndBoards()
    {
        var options = new LogisticsOptions
        {
            ConnectionString = await PostgresServer.CreateDatabaseAsync("demo"),
            Urls = $"http://127.0.0.1:{Loopback.FreePort()}",
            BackgroundWork = false,
            Senders = [new CapturingSender(Channel.Sms), new CapturingSender(Channel.Email)],
        };

        string operatorKey;
        int rounds;
        var lastSeq = new Dictionary<string, long>();
        await using (var first = await DemoNetwork.StartAsync(options, _dataDirectory))
        {
            Assert.True(first.Seeded);
            Assert.True(first.Plan!.Rounds >= 1 && first.Plan.ParcelsPlanned >= 1, $"the morning's plan: {first.Plan}");
            // Amboise's three lockers and the resident's home box, and Chinon's locker, each with the board program (the box's, one door).
            Assert.Equal(["chinon-locker-01", "homebox-01", "locker-01", "locker-02", "locker-03"], first.Lockers.Boards.Select(b => b.Config.DeviceId));
            Assert.Single(first.Lockers.Boards.Single(b => b.Config.DeviceId == "homebox-01").Hardware.Simulated!.Doors);
            var homeBoxes = await GetAsync(first, "/api/home-boxes", first.Keys.OperatorKey!);
            Assert.True(Assert.Single(homeBoxes.EnumerateArray()).GetProperty("paired").GetBoolean());
            await OnlineWithCodesAsync(first);

            // The seeded deposits happened hours or days ago: their door commands expired long before the boards
            // connected, so no door was pulsed; the codes, valid for days, did reach them.
            Assert.All(first.Lockers.Boards, b => Assert.All(b.Hardware.Simulated!.Doors, d => Assert.Equal(0, d.Pulses)));
            var lockers = await GetAsync(first, "/api/lockers", first.Keys.OperatorKey!);

            // Two networks: each operator sees its own lockers only; the federation sees both towns side by side.
            Assert.Equal(["homebox-01", "locker-01", "locker-02", "locker-03"], lockers.EnumerateArray().Select(l => l.GetProperty("lockerId").GetString()).Order());
            var chinonKey = first.Keys.Operators!.Single(o => o.Network == DemoSeeder.Chinon).ApiKey;
            Assert.Equal(["chinon-locker-01"], (await GetAsync(first, "/api/lockers", chinonKey)).EnumerateArray().Select(l => l.GetProperty("lockerId").GetString()));
            Assert.Equal(4, (await GetAsync(first, "/api/shops", chinonKey)).GetArrayLength());
            var networks = await GetAsync(first, "/api/networks", first.Keys.FederationKey!);
            Assert.Equal([("amboise", 12, 4), ("chinon", 4, 1)], networks.EnumerateArray().Select(n => (n.GetProperty("networkId").GetString(), n.GetProperty("shops").GetInt32(), n.GetProperty("lockersOnline").GetInt32())));
            foreach (var locker in lockers.EnumerateArray())
            {
                var board = first.Lockers.Boards.Single(b => b.Config.DeviceId == locker.GetProperty("lockerId").GetString());
                Assert.True(locker.GetProperty("online").GetBoolean());
                Assert.Equal(locker.GetProperty("compartments").GetInt32(), board.Hardware.Simulated!.Doors.Count);
            }

            operatorKey = first.Keys.OperatorKey!;
            rounds = (await GetAsync(first, "/api/rounds", operatorKey)).GetArrayLength();
            Assert.True(rounds >= 1);
            foreach (var board in first.Lockers.Boards)
            {
                lastSeq[board.Config.DeviceId] = board.Journal.LastSeq;
            }
        }

        await using var second = await DemoNetwork.StartAsync(options, _dataDirectory);
        Assert.False(second.Seeded);
        Assert.Null(second.Plan);
        Assert.Equal(operatorKey, second.Keys.OperatorKey);
        await OnlineWithCodesAsync(second);
        foreach (var board in second.Lockers.Boards)
        {
            // The same journal, going on from where it stopped (a new boot: its sequence continues, gap-free).
            Assert.True(board.Journal.LastSeq >= lastSeq[board.Config.DeviceId], board.Config.DeviceId);
            Assert.True(lastSeq[board.Config.DeviceId] > 0, board.Config.DeviceId);
        }

        Assert.Equal(rounds, (await GetAsync(second, "/api/rounds", operatorKey)).GetArrayLength());
        Assert.Equal(3, (await GetAsync(second, "/api/shops", operatorKey)).EnumerateArray().Count(s => s.GetProperty("relayPoint").GetBoolean()));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>
    /// Every board online with the core holding all it journalled, and each locker's waiting parcel's code on its board
    /// (a home box has none: its owner opens it with its own lock).
    /// </summary>
    private static async Task OnlineWithCodesAsync(DemoNetwork network)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!network.Lockers.Boards.All(b => b.Link!.State == LinkState.Online && b.Journal.AckedSeq == b.Journal.LastSeq
            && (b.Journal.Codes().Count > 0 || b.Config.DeviceId == DemoSeeder.HomeBoxId.Value)))
        {
            Assert.False(timeout.IsCancellationRequested, "the demo's boards should connect and receive their codes: " + string.Join(", ", network.Lockers.Boards.Select(b => $"{b.Config.DeviceId} {b.Link!.State} {b.Journal.AckedSeq}/{b.Journal.LastSeq} codes {b.Journal.Codes().Count}")));
            await Task.Delay(50, CancellationToken.None);
        }

        await network.App.Services.GetRequiredService<ProjectionHost>().CatchUpAsync();
    }

    private static async Task<JsonElement> GetAsync(DemoNetwork network, string path, string key)
    {
        using var client = new HttpClient { BaseAddress = new Uri(network.Url + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.GetAsync(path.TrimStart('/'));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
