using Logistics.Application.ProcessManagers;
using Logistics.Testing;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.ProcessManagers;

/// <summary>
/// The process managers run on the node that holds their one lease (a session advisory lock): when that session goes
/// (the node stops, or its connection is cut) they stop there, and the lease is taken again (by another node, or by
/// the same one on a new session); a deposit made afterwards is followed up.
/// </summary>
public sealed class ProcessManagerLeaseTests : IAsyncLifetime
{
    private TestCore? _nodeA;
    private TestCore? _nodeB;

    public async Task InitializeAsync() => _nodeA = await TestCore.StartAsync(realClock: true, backgroundWork: true);

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { _nodeB, _nodeA })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AnotherNodeTakesTheProcessManagersOverWhenTheHolderStops()
    {
        // Made through node A: a catch-up on a node that does not hold the lease waits for it.
        var net = await TestNetwork.CreateAsync(_nodeA!);
        var holderA = await HolderAsync(_nodeA!, null, "node A to take the lease");
        _nodeB = await TestCore.StartAsync(realClock: true, backgroundWork: true, connectionString: _nodeA!.ConnectionString);

        await _nodeA.DisposeAsync();
        _nodeA = null;

        await HolderAsync(_nodeB, holderA, "node B to take the lease over");
        await DepositFollowedUpAsync(net.On(_nodeB));
    }

    [Fact]
    public async Task AHolderWhoseLeaseSessionIsCutTakesTheLeaseAgain()
    {
        var net = await TestNetwork.CreateAsync(_nodeA!);
        var cut = await HolderAsync(_nodeA!, null, "the node to take the lease");

        await _nodeA!.QueryAsync("select pg_terminate_backend($1)", r => r.GetBoolean(0), cut);

        await HolderAsync(_nodeA, cut, "the node to take the lease again on a new session");
        await DepositFollowedUpAsync(net);
    }

    // The session that holds the lease in the core's database, once it is not `other`.
    private static async Task<int> HolderAsync(TestCore core, int? other, string what)
    {
        var holder = 0;
        await Wait.UntilAsync(
            async () =>
            {
                var pids = await core.QueryAsync(
                    """
                    select pid from pg_locks
                    where locktype = 'advisory' and granted and classid = 0 and objid = $1 and objsubid = 1
                      and database = (select oid from pg_database where datname = current_database())
                    """,
                    r => r.GetInt32(0),
                    (long)ProcessManagerHost.LeaseKey);
                holder = pids.Count == 1 ? pids[0] : 0;
                return holder != 0 && holder != other;
            },
            what);
        return holder;
    }

    private static async Task DepositFollowedUpAsync(TestNetwork net)
    {
        var (parcel, _) = await net.RegisterForLockerAsync();
        await (await net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        await (await net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null)).OkAsync();
        await Wait.UntilAsync(
            async () => (await net.Core.QueryAsync(
                "select count(*) from locker_commands where body like '%' || $1 || '%' and body::jsonb ->> 'kind' = 'openForDeposit'",
                r => r.GetInt64(0),
                parcel))[0] == 1,
            "the deposit's door command");
    }
}
