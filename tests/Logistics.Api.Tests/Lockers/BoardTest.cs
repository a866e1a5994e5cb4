using System.Security.Cryptography;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Lockers;

/// <summary>A core with the first locker's board key registered, and boards that connect to it over a real WebSocket.</summary>
public abstract class BoardTest : ApiTest, IDisposable
{
    protected ECDsa DeviceKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    protected async Task RegisterKeyAsync(ECDsa key) =>
        await (await Server.Operator().PostJsonAsync($"/api/lockers/{Net.LockerId}/device-key", new { devicePublicKey = TestBoard.PublicKeyPem(key) })).OkAsync();

    /// <summary>A board of the first locker, connected (its key registered first unless told otherwise).</summary>
    protected async Task<TestBoard> BoardAsync(ECDsa? key = null, bool register = true)
    {
        key ??= DeviceKey;
        if (register)
        {
            await RegisterKeyAsync(key);
        }

        var board = new TestBoard(Net.LockerId, key, await CoreKeyAsync());
        await board.ConnectAsync(Server.BaseAddress);
        return board;
    }

    protected async Task<ECDsa> CoreKeyAsync()
    {
        var core = ECDsa.Create();
        core.ImportFromPem(await Server.Operator().GetStringAsync("/api/lockers/core-public-key"));
        return core;
    }

    /// <summary>The security events recorded, oldest first: (kind, seq).</summary>
    protected async Task<IReadOnlyList<(string Kind, long? Seq)>> SecurityEventsAsync() =>
        await Server.QueryAsync("select kind, seq from security_events order by id", r => (r.GetString(0), r.IsDBNull(1) ? (long?)null : r.GetInt64(1)));

    public void Dispose()
    {
        DeviceKey.Dispose();
        GC.SuppressFinalize(this);
    }
}
