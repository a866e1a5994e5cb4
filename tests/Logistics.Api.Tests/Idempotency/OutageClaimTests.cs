using Logistics.Application.Idempotency;
using Logistics.EventStore.Embedded;
using Logistics.Testing;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Idempotency;

/// <summary>
/// Requests that end while PostgreSQL is gone (a failover, a restart), on a private server this test owns: their
/// answer or the release of their key is written once the database is back, so a client retrying after the outage is
/// answered or runs its request again, instead of hearing "in progress" until the claim grows stale (2 minutes).
/// </summary>
public sealed class OutageClaimTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private readonly int _port = Loopback.FreePort();
    private EmbeddedPostgres _database = null!;
    private TestCore _core = null!;

    public async Task InitializeAsync()
    {
        _database = await StartDatabaseAsync();
        await _database.CreateDatabaseAsync("claims");
        _core = await TestCore.StartAsync(realClock: true, backgroundWork: false, connectionString: _database.ConnectionString("claims"));
    }

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        await _database.StopAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task ARequestEndingWhileTheDatabaseIsDownIsAnsweredOrFreedOnceItIsBack()
    {
        var store = _core.Services.GetRequiredService<IdempotencyStore>();
        var failed = await store.ClaimAsync("courier:c1", "failed", "hash-f", default);
        var answered = await store.ClaimAsync("courier:c1", "answered", "hash-a", default);
        Assert.NotNull(failed);
        Assert.NotNull(answered);

        // Both requests end while the database is gone: neither end is thrown at the request, both are kept.
        await _database.StopAsync();
        await store.ReleaseAsync(failed);
        await store.CompleteAsync(answered, 201, "application/json", """{"parcelId":"p-1"}"""u8.ToArray());
        Assert.Equal(2, store.Pending);
        _database = await StartDatabaseAsync();

        // Back: the retry of the failed request runs it, the answered one is replayed, without waiting for staleness.
        var until = DateTime.UtcNow.AddSeconds(30);
        while (store.Pending > 0)
        {
            Assert.True(DateTime.UtcNow < until, $"{store.Pending} request ends still unwritten 30 s after the database came back");
            await Task.Delay(100);
        }

        Assert.NotNull(await store.ClaimAsync("courier:c1", "failed", "hash-f", default));
        var replay = await store.FindAsync("courier:c1", "answered", default);
        Assert.Equal(201, replay?.Status);
        Assert.Equal("""{"parcelId":"p-1"}""", System.Text.Encoding.UTF8.GetString(replay!.Body!));
    }

    [Fact]
    public async Task AnEndWrittenLateTouchesNoClaimButItsOwn()
    {
        var store = _core.Services.GetRequiredService<IdempotencyStore>();
        var held = await store.ClaimAsync("shop:s1", "k", "hash", default);
        Assert.NotNull(held);

        // An earlier holder of the key (taken over since) writes its end: the present request's claim stays.
        var earlier = held with { Id = Guid.CreateVersion7() };
        await store.ReleaseAsync(earlier);
        await store.CompleteAsync(earlier, 500, null, []);
        var row = await store.FindAsync("shop:s1", "k", default);
        Assert.NotNull(row);
        Assert.Null(row.Status);
        Assert.Null(await store.ClaimAsync("shop:s1", "k", "hash", default));

        await store.CompleteAsync(held, 200, "application/json", "{}"u8.ToArray());
        Assert.Equal(200, (await store.FindAsync("shop:s1", "k", default))?.Status);
    }

    private Task<EmbeddedPostgres> StartDatabaseAsync() =>
        EmbeddedPostgres.StartAsync(_folder.Path, new EmbeddedPostgresOptions { Port = _port, Durable = false });
}
