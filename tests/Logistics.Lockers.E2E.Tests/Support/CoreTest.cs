using System.Text.Json;
using Logistics.Application.Lockers;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>Each test gets its own core (real clock, background work on, as in production) over its own database, and a small network.</summary>
public abstract class CoreTest : IAsyncLifetime
{
    protected TestCore Core { get; private set; } = null!;

    protected TestNetwork Net { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Core = await TestCore.StartAsync(realClock: true, backgroundWork: true);
        Net = await TestNetwork.CreateAsync(Core);
    }

    public async Task DisposeAsync() => await Core.DisposeAsync();

    /// <summary>The board's events as the core stored them: (seq, kind, body), in seq order.</summary>
    protected async Task<IReadOnlyList<(long Seq, string Kind, JsonElement Body)>> DeviceEventsAsync() =>
        await Core.QueryAsync(
            "select seq, kind, body::text from locker_device_events where locker_id = $1 order by seq",
            r => (r.GetInt64(0), r.GetString(1), JsonDocument.Parse(r.GetString(2)).RootElement.Clone()),
            Net.LockerId);

    /// <summary>The highest event of a board the core has stored (and acknowledged).</summary>
    protected Task<long> AckedSeqAsync(string deviceId) => Core.Services.GetRequiredService<LockerDevices>().AckedSeqAsync(deviceId, CancellationToken.None);

    /// <summary>The payload of a stored device event.</summary>
    protected static JsonElement Payload(JsonElement body) => body.GetProperty("payload");

    protected async Task<JsonElement> CompartmentAsync(int number) =>
        (await Net.LockerAsync()).GetProperty("compartments").EnumerateArray().Single(c => c.GetProperty("number").GetInt32() == number);
}
