using Logistics.Application.Idempotency;
using Logistics.Application.Notifications;
using Logistics.Application.ProcessManagers;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Idempotency;

/// <summary>
/// Work claimed by a node that then dies is taken over by another node at once, while a live node's claim is left to
/// it: a request (its Idempotency-Key claimed, never answered; the retry takes it over instead of "in progress"), and
/// a batch of messages the node was sending (another node sends them instead of waiting for the claim's 5 minutes).
/// </summary>
public sealed class DeadNodeClaimTests : IAsyncLifetime
{
    private TestCore? _nodeA;
    private TestCore _nodeB = null!;

    public async Task InitializeAsync()
    {
        _nodeA = await TestCore.StartAsync();
        _nodeB = await TestCore.StartAsync(connectionString: _nodeA!.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _nodeB.DisposeAsync();
        if (_nodeA is not null)
        {
            await _nodeA.DisposeAsync();
        }
    }

    [Fact]
    public async Task AClaimOfALiveNodeWaitsAndADeadNodesIsTakenOverAtOnce()
    {
        var onA = _nodeA!.Services.GetRequiredService<IdempotencyStore>();
        var onB = _nodeB.Services.GetRequiredService<IdempotencyStore>();
        Assert.NotNull(await onA.ClaimAsync("courier:c1", "k-1", "hash", CancellationToken.None));

        // Node A is alive and may still answer: B's retry is told to wait.
        Assert.Null(await onB.ClaimAsync("courier:c1", "k-1", "hash", CancellationToken.None));

        // Node A goes (its database sessions end with it): the retry on B runs the request.
        await _nodeA.DisposeAsync();
        _nodeA = null;
        Assert.NotNull(await onB.ClaimAsync("courier:c1", "k-1", "hash", CancellationToken.None));
        // And now B holds it: a third attempt waits for B's answer.
        Assert.Null(await onB.ClaimAsync("courier:c1", "k-1", "hash", CancellationToken.None));
    }

    [Fact]
    public async Task MessagesADeadNodeWasSendingAreSentByAnotherAtOnce()
    {
        var net = await TestNetwork.CreateAsync(_nodeA!);
        var (parcel, _) = await net.RegisterForLockerAsync();
        await (await net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        await (await net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null)).OkAsync();
        await _nodeA!.Services.GetRequiredService<ProcessManagerHost>().CatchUpAsync();
        // Node A has claimed the messages and is sending them (its claim runs five minutes).
        var claimed = (int)(await _nodeA.QueryAsync(
            "with c as (update notification_outbox set next_attempt_at = now() + interval '5 minutes', claimed_by = $1 where sent_at is null returning 1) select count(*) from c",
            r => r.GetInt64(0),
            _nodeA.Services.GetRequiredService<NodeLiveness>().Key))[0];
        Assert.True(claimed > 0, "a deposit queues the pickup code's message");
        var dispatcherB = _nodeB.Services.GetRequiredService<OutboxDispatcher>();
        Assert.Equal(0, await dispatcherB.DispatchDueAsync());

        await _nodeA.DisposeAsync();
        _nodeA = null;

        Assert.Equal(claimed, await dispatcherB.DispatchDueAsync());
        Assert.Equal(claimed, _nodeB.Sms.Sent.Count + _nodeB.Email.Sent.Count);
    }
}
