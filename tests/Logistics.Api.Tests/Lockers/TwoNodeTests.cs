using Logistics.Api.Hosting;
using Logistics.Api.Tests.Support;
using Logistics.Application.Lockers;
using Logistics.LockerLink;
using Logistics.Testing;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Lockers;

/// <summary>
/// Issue 12, part 2 (its first step): two API nodes on one database. A command queued on the node that does not hold
/// the board's WebSocket reaches the board through PostgreSQL's NOTIFY: the sessions' own periodic look is set to ten
/// minutes here, so only the announcement can bring it within the wait.
/// </summary>
public sealed class TwoNodeTests : ApiTest
{
    private static readonly TimeSpan NoPoll = TimeSpan.FromMinutes(10);

    protected override LogisticsOptions Configure(LogisticsOptions options) => options with { CommandPoll = NoPoll };

    [Fact]
    public async Task ACommandQueuedOnAnotherNodeReachesTheBoardAtOnce()
    {
        await Server.Services.GetRequiredService<CommandWakeups>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        await using var board = await Net.BoardAsync();
        await using var nodeB = await TestCore.StartAsync(connectionString: Server.ConnectionString, configure: o => o with { CommandPoll = NoPoll });

        await (await nodeB.Operator().PostJsonAsync($"/api/lockers/{Net.LockerId}/compartments/1/remote-open", new { reason = "opened from the other node" })).OkAsync();
        await Wait.UntilAsync(() => board.Executed.Any(c => c is CommandBody.RemoteOpen { Compartment: 1 }), "the board on node A to get the command queued on node B", seconds: 20);

        // And the other way round, the board's own node queuing: the in-process wake-up.
        await (await Server.Operator().PostJsonAsync($"/api/lockers/{Net.LockerId}/compartments/2/remote-open", new { reason = "opened from its own node" })).OkAsync();
        await Wait.UntilAsync(() => board.Executed.Any(c => c is CommandBody.RemoteOpen { Compartment: 2 }), "the board to get the command queued on its own node", seconds: 20);
    }

    [Fact]
    public async Task AKeyRevokedOnOneNodeIsRefusedOnTheOtherOnceItsCacheSecondIsOver()
    {
        await using var nodeB = await TestCore.StartAsync(connectionString: Server.ConnectionString);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Net.Shop.GetAsync("/api/parcels")).StatusCode);

        await (await nodeB.Operator().PostJsonAsync($"/api/credentials/shop/{Net.ShopId}/revoke", null)).OkAsync();
        Server.Clock.Advance(Application.Access.ApiKeys.CacheFor);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await Net.Shop.GetAsync("/api/parcels")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await nodeB.Client(Net.ShopKey).GetAsync("/api/parcels")).StatusCode);
    }
}
