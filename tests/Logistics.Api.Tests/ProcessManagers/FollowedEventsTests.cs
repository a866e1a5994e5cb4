using System.Collections.Concurrent;
using Logistics.Application.ProcessManagers;
using Logistics.Domain.Parcels;
using Logistics.EventStore.Subscriptions;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.ProcessManagers;

/// <summary>
/// A process manager is handed only the classes of events it follows (the rest of the log is passed undecoded), and
/// its checkpoint still moves past everything: a parcel's journey through a locker gives the one below its two
/// deposits' events and nothing else, and it has nothing left to catch up afterwards.
/// </summary>
public sealed class FollowedEventsTests : IAsyncLifetime
{
    private readonly DepositsOnly _deposits = new();
    private TestCore _core = null!;
    private TestNetwork _net = null!;

    public async Task InitializeAsync()
    {
        _core = await TestCore.StartAsync(configure: o => o with { ExtraProcessManagers = [_deposits] });
        _net = await TestNetwork.CreateAsync(_core);
    }

    public Task DisposeAsync() => _core.DisposeAsync().AsTask();

    [Fact]
    public async Task AManagerIsHandedOnlyTheEventsItFollowsAndStillGoesPastTheRest()
    {
        await using var board = await _net.BoardAsync();
        var first = await _net.DepositedAsync();
        var second = await _net.DepositedAsync();
        await _net.CollectAsync(first.TrackingId, first.Code);
        await _core.SettleAsync();

        Assert.Equal([nameof(ParcelDeposited), nameof(ParcelDeposited)], _deposits.Handed.Select(e => e.GetType().Name));
        Assert.Equal([first.ParcelId, second.ParcelId], _deposits.Handed.OfType<ParcelDeposited>().Select(d => d.ParcelId.Value));
        var logEnd = await _core.QueryAsync("select seq from es_events order by tx_id desc, seq desc limit 1", r => r.GetInt64(0));
        var checkpoint = await _core.QueryAsync("select seq from es_checkpoints where name = 'pm:deposits-only'", r => r.GetInt64(0));
        Assert.Equal(logEnd, checkpoint);
    }

    private sealed class DepositsOnly : IProcessManager
    {
        private readonly ConcurrentQueue<object> _handed = new();

        public string Name => "deposits-only";

        public IReadOnlyList<object> Handed => [.. _handed];

        public bool Follows(Type eventClass) => eventClass == typeof(ParcelDeposited);

        public Task HandleAsync(EventEnvelope e, CancellationToken cancellationToken)
        {
            _handed.Enqueue(e.Event);
            return Task.CompletedTask;
        }
    }
}
