using Logistics.Application.Idempotency;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Idempotency;

/// <summary>
/// A request claimed by a node that then dies (its Idempotency-Key claimed, never answered) is taken over by the
/// retry on another node at once, while a claim of a live node still answers "in progress".
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
        Assert.True(await onA.ClaimAsync("courier:c1", "k-1", "hash", CancellationToken.None));

        // Node A is alive and may still answer: B's retry is told to wait.
        Assert.False(await onB.ClaimAsync("courier:c1", "k-1", "hash", CancellationToken.None));

        // Node A goes (its database sessions end with it): the retry on B runs the request.
        await _nodeA.DisposeAsync();
        _nodeA = null;
        Assert.True(await onB.ClaimAsync("courier:c1", "k-1", "hash", CancellationToken.None));
        // And now B holds it: a third attempt waits for B's answer.
        Assert.False(await onB.ClaimAsync("courier:c1", "k-1", "hash", CancellationToken.None));
    }
}
