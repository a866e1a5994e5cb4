using Logistics.Application.Lockers;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Lockers;

/// <summary>
/// A node keeps each locker's state between commands and reads only what was appended since: what another node
/// recorded in between is never missed (a compartment it freed is free here, one it took is taken here). A node whose
/// kept state is ahead of the store (a database restored under running nodes, which should be restarted) drops it at
/// its first write the store refuses.
/// </summary>
public sealed class LockerStateAcrossNodesTests : IAsyncLifetime
{
    private TestCore _nodeA = null!;
    private TestCore _nodeB = null!;
    private LockerId _locker;

    public async Task InitializeAsync()
    {
        _nodeA = await TestCore.StartAsync();
        _nodeB = await TestCore.StartAsync(connectionString: _nodeA.ConnectionString);
        var compartments = new[] { new { number = 1, size = "S", lowHeight = false } };
        _locker = new LockerId((await _nodeA.RegisterAsync("/api/lockers", new { name = "Consigne Gare", address = "Gare", latitude = 47.4199, longitude = 0.9832, compartments })).Id);
    }

    [Fact]
    public async Task EachNodeDecidesOnWhatTheOtherRecorded()
    {
        var (onA, onB) = (Compartments(_nodeA), Compartments(_nodeB));

        // A reserves the one compartment (and keeps the locker's state); B, which knows it too, finds none left.
        Assert.Equal(1, await onA.ReserveAsync(_locker, new ParcelId("p-1"), ParcelSize.S, Context("a1"), default));
        await Assert.ThrowsAsync<DomainRuleViolation>(() => onB.ReserveAsync(_locker, new ParcelId("p-2"), ParcelSize.S, Context("b1"), default));

        // B gives it back: A, deciding on the state it kept, still sees that and reserves it for another parcel.
        await onB.CancelReservationAsync(_locker, new ParcelId("p-1"), Context("b2"), default);
        Assert.Equal(1, await onA.ReserveAsync(_locker, new ParcelId("p-3"), ParcelSize.S, Context("a2"), default));
        await Assert.ThrowsAsync<DomainRuleViolation>(() => onB.ReserveAsync(_locker, new ParcelId("p-4"), ParcelSize.S, Context("b3"), default));
        Assert.NotNull(((Locker.Registered)await onB.StateAsync(_locker, default)).CompartmentOf(new ParcelId("p-3")));
    }

    [Fact]
    public async Task AKeptStateAheadOfTheStoreIsDroppedAtItsFirstConflict()
    {
        var onA = Compartments(_nodeA);
        Assert.Equal(1, await onA.ReserveAsync(_locker, new ParcelId("p-1"), ParcelSize.S, Context("a1"), default));

        // The store goes back (as after a restore): the reservation is gone, node A still keeps it.
        await _nodeA.QueryAsync(
            "with gone as (delete from es_events where stream_id = $1 and version > 1 returning 1), back as (update es_streams set version = 1 where stream_id = $1 returning 1) select (select count(*) from gone) + (select count(*) from back)",
            r => r.GetInt64(0),
            Deciders.Stream(_locker));

        // Its next write is refused by the store's version: the kept state is dropped and the command decided again
        // on the store (here: nothing to give back), and what follows is decided on the store.
        await onA.CancelReservationAsync(_locker, new ParcelId("p-1"), Context("a2"), default);
        Assert.Equal(1, await onA.ReserveAsync(_locker, new ParcelId("p-2"), ParcelSize.S, Context("a3"), default));
        Assert.NotNull(((Locker.Registered)await Compartments(_nodeB).StateAsync(_locker, default)).CompartmentOf(new ParcelId("p-2")));
    }

    private static Compartments Compartments(TestCore node) => node.Services.GetRequiredService<Compartments>();

    private static CommandContext Context(string key) => new(new Actor(Roles.Operator, "test"), idempotencyKey: key);

    public async Task DisposeAsync()
    {
        await _nodeB.DisposeAsync();
        await _nodeA.DisposeAsync();
    }
}
