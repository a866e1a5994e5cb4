using Logistics.Lockers.E2E.Tests.Support;
using Logistics.Lockers.Host.Link;
using Logistics.Testing;

namespace Logistics.Lockers.E2E.Tests.Journeys;

/// <summary>Someone trying codes at the keypad: the board stops checking after 20 wrong ones in an hour, and the core is told of each.</summary>
public sealed class WrongCodeBurstTests : CoreTest
{
    [Fact]
    public async Task ABurstOfWrongCodesIsThrottledAtTheBoardAndReportedToTheCore()
    {
        await using var board = await InProcessBoard.StartAsync(Net, web: true);
        await Wait.UntilAsync(() => board.Link.State == LinkState.Online, "the board to connect");
        var deposit = await Net.DepositedAsync();
        await Wait.UntilAsync(async () => (await board.StateAsync()).Doors.Single(d => d.Number == deposit.Compartment).ParcelWaiting, "the code to reach the board");

        var answers = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            answers.Add((await board.TypeAsync($"9{i:00000}1234")).Outcome);
        }

        Assert.Equal(Enumerable.Repeat("wrongCode", 20).Concat(Enumerable.Repeat("throttled", 10)), answers);
        var right = await board.TypeAsync(deposit.Code);
        Assert.Equal("throttled", right.Outcome);
        Assert.InRange(right.RetryAfterMinutes, 55, 60);
        Assert.True((await board.StateAsync()).KeypadLockedForMinutes > 0);

        await board.DrainedAsync();
        await Core.SettleAsync();
        var rejected = (await DeviceEventsAsync()).Where(e => e.Kind == "CodeRejected").ToList();
        Assert.Equal(20, rejected.Count);
        var failures = await Core.QueryAsync("select count(*) from pickup_code_failures where locker_id = $1", r => r.GetInt64(0), Net.LockerId);
        Assert.Equal(20, failures.Single());
        Assert.Equal("AwaitingCollection", (await Net.TrackAsync(deposit.TrackingId)).GetProperty("status").GetString());
    }
}
