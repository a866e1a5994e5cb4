using System.Text.Json;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>Each test gets its own core over its own database, and a small network with one locker.</summary>
public abstract class CoreTest : IAsyncLifetime
{
    protected CoreServer Core { get; private set; } = null!;

    protected Network Net { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Core = await CoreServer.StartAsync();
        Net = await Network.CreateAsync(Core);
    }

    public async Task DisposeAsync() => await Core.DisposeAsync();

    /// <summary>The board's events as the core stored them: (seq, kind, body), in seq order.</summary>
    protected async Task<IReadOnlyList<(long Seq, string Kind, JsonElement Body)>> DeviceEventsAsync() =>
        await Core.QueryAsync(
            "select seq, kind, body::text from locker_device_events where locker_id = $1 order by seq",
            r => (r.GetInt64(0), r.GetString(1), JsonDocument.Parse(r.GetString(2)).RootElement.Clone()),
            Net.LockerId);

    /// <summary>The payload of a stored device event.</summary>
    protected static JsonElement Payload(JsonElement body) => body.GetProperty("payload");

    protected async Task<JsonElement> CompartmentAsync(int number) =>
        (await Net.LockerAsync()).GetProperty("compartments").EnumerateArray().Single(c => c.GetProperty("number").GetInt32() == number);
}
