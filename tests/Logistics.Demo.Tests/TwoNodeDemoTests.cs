using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Application.Notifications;
using Logistics.Lockers.Host.Link;
using Logistics.Testing;
using Logistics.Testing.Core;

namespace Logistics.Demo.Tests;

/// <summary>
/// What <c>--nodes 2</c> runs (issue 12, part 6): two API nodes over the demo's database behind HAProxy, the boards
/// connected through it; every page and the API answer through the balancer from either node, and a door opened
/// remotely through one node reaches a board whichever node holds its socket.
/// </summary>
public sealed class TwoNodeDemoTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "lg-demo-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task TwoNodesBehindHaProxyServeThePagesAndTheBoardsThroughEitherNode()
    {
        var front = new Uri($"http://127.0.0.1:{Loopback.FreePort()}");
        var nodes = new[] { new Uri($"http://127.0.0.1:{Loopback.FreePort()}"), new Uri($"http://127.0.0.1:{Loopback.FreePort()}") };
        var options = new LogisticsOptions
        {
            ConnectionString = await PostgresServer.CreateDatabaseAsync("demo"),
            Urls = nodes[0].ToString().TrimEnd('/'),
            Senders = [new CapturingSender(Channel.Sms), new CapturingSender(Channel.Email)],
        };
        await using var balancer = await LoadBalancer.StartAsync(Path.Combine(_dataDirectory, "haproxy"), front.Port, nodes);
        await using var network = await DemoNetwork.StartAsync(options, _dataDirectory, boardsUrl: front);
        await network.StartNodeAsync(nodes[1].ToString().TrimEnd('/'));
        await Wait.UntilAsync(() => network.Lockers.Boards.All(b => b.Link!.State == LinkState.Online), "the boards to connect through HAProxy", seconds: 60);

        using var client = new HttpClient { BaseAddress = balancer.Url, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", network.Keys.OperatorKey);
        foreach (var node in nodes)
        {
            using var direct = new HttpClient { BaseAddress = node };
            Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("/demo/lockers/locker-01")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("/shop")).StatusCode);
        }

        await Wait.UntilAsync(
            async () => JsonDocument.Parse(await client.GetStringAsync("/api/lockers")).RootElement.EnumerateArray().All(l => l.GetProperty("online").GetBoolean()),
            "every locker online, seen through HAProxy");

        // Two remote openings through the balancer (round robin: one queued on each node) reach the board.
        var board = network.Lockers.Boards.Single(b => b.Config.DeviceId == "locker-02");
        foreach (var compartment in new[] { 1, 2 })
        {
            using var opened = await client.PostAsync($"/api/lockers/locker-02/compartments/{compartment}/remote-open", JsonContent($"{{\"reason\":\"two-node demo check {compartment}\"}}"));
            Assert.Equal(HttpStatusCode.Accepted, opened.StatusCode);
        }

        await Wait.UntilAsync(() => board.Hardware.Simulated!.Doors.Take(2).All(d => d.Pulses >= 1), "the board to open both doors", seconds: 30);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
