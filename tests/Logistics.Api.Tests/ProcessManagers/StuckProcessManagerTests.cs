using System.Text.Json;
using Logistics.Application.ProcessManagers;
using Logistics.EventStore.Subscriptions;
using Logistics.Testing;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.ProcessManagers;

/// <summary>
/// Issue 12 at federation scale: one process manager that does not move (a slow endpoint, a backlog of events) holds
/// back no other. With a test process manager stuck on an event, the background work still follows a deposit up: the
/// board's door and code commands are queued and the operator sees the compartment occupied. On a host that runs the
/// process managers one after the other in one loop, the deposit waits behind the stuck one and this fails.
/// </summary>
public sealed class StuckProcessManagerTests : IAsyncLifetime
{
    private readonly StuckProcessManager _stuck = new();
    private TestCore _core = null!;
    private TestNetwork _net = null!;

    public async Task InitializeAsync()
    {
        _core = await TestCore.StartAsync(realClock: true, backgroundWork: true, configure: o => o with { ExtraProcessManagers = [_stuck] });
        _net = await TestNetwork.CreateAsync(_core);
    }

    public async Task DisposeAsync()
    {
        _stuck.Release();
        await _core.DisposeAsync();
    }

    [Fact]
    public async Task ADepositGetsItsDoorAndCodesWhileAnotherProcessManagerIsStuck()
    {
        _stuck.HoldNext();
        var (parcel, _) = await _net.RegisterForLockerAsync();
        await Wait.UntilAsync(() => _stuck.IsHolding, "the stuck process manager to hold the parcel's registration");

        await (await _net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        var deposit = await TestCore.ReadAsync<JsonElement>(await _net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null));
        var compartment = deposit.GetProperty("compartment").GetInt32();

        IReadOnlyList<string> commands = [];
        await Wait.UntilAsync(
            async () => (commands = await CommandsAsync(parcel)).Count == 2,
            () => $"the board's commands for the deposit (queued: {string.Join(", ", commands)})");
        Assert.Equal(["openForDeposit", "provisionCodes"], commands.Order());
        await Wait.UntilAsync(
            async () => (await _net.LockerAsync()).GetProperty("compartments").EnumerateArray()
                .Any(c => c.GetProperty("number").GetInt32() == compartment && c.GetProperty("status").GetString() == "occupied"),
            $"compartment {compartment} to show occupied to the operator");
        Assert.True(_stuck.IsHolding, "the other process manager was stuck all along");
    }

    /// <summary>The kinds of the door and code commands queued for the parcel's locker that name the parcel.</summary>
    private async Task<IReadOnlyList<string>> CommandsAsync(string parcel) => await _core.QueryAsync(
        "select body::jsonb ->> 'kind' from locker_commands where body like '%' || $1 || '%' order by seq",
        r => r.GetString(0),
        parcel);

    /// <summary>Once told to, blocks on the next event it is given until the test lets it go (or the host stops).</summary>
    private sealed class StuckProcessManager : IProcessManager
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _holdNext;
        private volatile bool _holding;

        public string Name => "stuck";

        public bool IsHolding => _holding;

        public void HoldNext() => _holdNext = true;

        public void Release() => _released.TrySetResult();

        public async Task HandleAsync(EventEnvelope e, CancellationToken cancellationToken)
        {
            if (!_holdNext)
            {
                return;
            }

            _holding = true;
            try
            {
                await _released.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                _holding = false;
            }
        }
    }
}
