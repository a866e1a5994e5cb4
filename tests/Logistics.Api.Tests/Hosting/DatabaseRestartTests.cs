using System.Net;
using System.Text.Json;
using Logistics.EventStore.Embedded;
using Logistics.Testing;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Hosting;

/// <summary>
/// PostgreSQL restarted in the middle of a journey, on a private server this test owns: while it is down the API
/// answers 503 problems (never hangs, never stops), and once it is back what was left half done finishes by itself.
/// </summary>
public sealed class DatabaseRestartTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private readonly int _port = Loopback.FreePort();
    private EmbeddedPostgres _database = null!;
    private TestCore _core = null!;
    private TestNetwork _net = null!;

    public async Task InitializeAsync()
    {
        _database = await StartDatabaseAsync();
        await _database.CreateDatabaseAsync("journey");
        _core = await TestCore.StartAsync(realClock: true, backgroundWork: true, connectionString: _database.ConnectionString("journey"));
        _net = await TestNetwork.CreateAsync(_core);
    }

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        await _database.StopAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task ARestartInTheMiddleOfAJourneyLeavesItFinishingByItselfAndTheHostAnswering()
    {
        var (parcel, tracking) = await _net.RegisterForLockerAsync();
        await (await _net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        var deposit = await TestCore.ReadAsync<JsonElement>(await _net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null));

        // Down right after the deposit: its follow-ups (compartment, board's codes, message, read models) are pending.
        await _database.StopAsync();
        var health = await _core.Client().GetAsync("/health");
        var refused = await _net.Shop.PostJsonAsync("/api/parcels", new { recipient = new { name = "Ana", phone = TestNetwork.Phone }, size = "S", destination = new { kind = "locker", lockerId = _net.LockerId } });
        await Task.Delay(TimeSpan.FromSeconds(3));
        _database = await StartDatabaseAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("database-unavailable", (await refused.JsonAsync()).GetProperty("code").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);

        // Back: nobody retries anything, and the journey goes on to the recipient's message and the locker's state.
        var code = await _core.CodeSentAsync(tracking, TestNetwork.Phone);
        Assert.Equal(12, code.Length);
        var compartment = deposit.GetProperty("compartment").GetInt32();
        await WaitAsync(async () => (await _net.TrackAsync(tracking)).GetProperty("status").GetString() == "AwaitingCollection");
        await WaitAsync(async () => (await _net.LockerAsync()).GetProperty("compartments").EnumerateArray()
            .Single(c => c.GetProperty("number").GetInt32() == compartment).GetProperty("status").GetString() == "occupied");
        Assert.Equal(HttpStatusCode.OK, (await _core.Client().GetAsync("/health")).StatusCode);
        var (next, _) = await _net.RegisterForLockerAsync();
        Assert.False(string.IsNullOrEmpty(next));
    }

    private Task<EmbeddedPostgres> StartDatabaseAsync() =>
        EmbeddedPostgres.StartAsync(_folder.Path, new EmbeddedPostgresOptions { Port = _port, Durable = false });

    private static async Task WaitAsync(Func<Task<bool>> done)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < until, "the journey did not finish within a minute of the restart");
            await Task.Delay(200);
        }
    }
}
