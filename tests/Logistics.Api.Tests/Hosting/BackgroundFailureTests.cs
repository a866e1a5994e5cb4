using System.Net;
using Logistics.Api.Tests.Planning;
using Logistics.Application.Planning;
using Logistics.Application.ProcessManagers;
using Logistics.Application.Scheduling;
using Logistics.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Hosting;

/// <summary>
/// Issue 11, class 10: a background service whose input or dependency fails logs, goes on and resumes; the host keeps
/// answering. One test per failure point of <see cref="FaultInjection.BackgroundPoints"/>, each running the service's
/// own loop on the test's clock. (Elsewhere: the SMS gateway timing out in OutboxTests, a projection throwing in
/// ProjectionRunnerTests, PostgreSQL restarted under every service in DatabaseRestartTests, a failing board session
/// in LinkRobustnessTests.)
/// </summary>
public sealed class BackgroundFailureTests : PlanningTest
{
    /// <summary>A new failure point fails this until it gets its test here.</summary>
    [Fact]
    public void EveryBackgroundFailurePointHasItsTest() =>
        Assert.Equal(
            new[] { FaultInjection.SchedulerBeforeParcel, FaultInjection.PlanningAfterInput, FaultInjection.PlanningBeforeApply }.Order(),
            FaultInjection.BackgroundPoints.Order());

    [Fact]
    public async Task TheSchedulerGoesOnPastAParcelWhoseWorkFailsAndDoesItAtTheNextTick()
    {
        var first = await Net.DepositedAsync();
        var second = await Net.DepositedAsync();
        Server.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        Server.Services.GetRequiredService<FaultInjection>().Arm(FaultInjection.SchedulerBeforeParcel);
        var scheduler = Server.Services.GetRequiredService<ParcelScheduler>();
        using var stop = new CancellationTokenSource();
        await scheduler.StartAsync(stop.Token);
        try
        {
            // A tick: one parcel's reminder fails, the other's is sent.
            await TickUntilAsync(ParcelScheduler.Interval, async () => await RemindedAsync(first.TrackingId, second.TrackingId) >= 1, "a reminder");
            Assert.Equal(1, await RemindedAsync(first.TrackingId, second.TrackingId));
            Assert.Equal(HttpStatusCode.OK, (await Net.Shop.GetAsync("/api/parcels")).StatusCode);

            // A later tick does the other.
            await TickUntilAsync(ParcelScheduler.Interval, async () => await RemindedAsync(first.TrackingId, second.TrackingId) == 2, "both reminders");
            Assert.False(scheduler.ExecuteTask!.IsCompleted, "the scheduler's loop ended");
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task APlanningInputThatThrowsLeavesTheCutOffToTheNextTickAndTheHostAnswering()
    {
        var now = Now;
        Server.Clock.Advance(now.UtcDateTime.Date.AddDays(1).AddHours(8).AddMinutes(31) - now.UtcDateTime);
        await ForLockerAsync(Net.Shop);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        await Server.SettleAsync();
        Server.Services.GetRequiredService<FaultInjection>().Arm(FaultInjection.PlanningAfterInput);
        var scheduler = Server.Services.GetRequiredService<PlanningScheduler>();
        using var stop = new CancellationTokenSource();
        await scheduler.StartAsync(stop.Token);
        try
        {
            // The loop's first run failed on the input: nothing recorded, the API answers.
            var faults = Server.Services.GetRequiredService<FaultInjection>();
            await Wait.UntilAsync(() => !faults.IsArmed(FaultInjection.PlanningAfterInput), "the planning loop's first run");
            Assert.False(faults.IsArmed(FaultInjection.PlanningAfterInput), "the planning loop did not run");
            Assert.Equal(0L, await CountAsync("select count(*) from planning_cutoffs"));
            Assert.Equal(HttpStatusCode.OK, (await Net.Shop.GetAsync("/api/parcels")).StatusCode);

            await TickUntilAsync(PlanningScheduler.Interval, async () => await CountAsync("select count(*) from planning_cutoffs") == 1, "the cut-off to run");
            await Server.SettleAsync();
            Assert.NotEmpty(Stops(await RoundAsync(Net.Courier)));
            Assert.False(scheduler.ExecuteTask!.IsCompleted, "the planning loop ended");
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ACutOffWhosePlanFailsToApplyInOneNetworkPlansTheOthersAndThatOneAtTheNextTick()
    {
        var now = Now;
        Server.Clock.Advance(now.UtcDateTime.Date.AddDays(1).AddHours(8).AddMinutes(31) - now.UtcDateTime);
        var (blois, _) = await NetworkAsync("blois", "Blois");
        var bloisParcel = await ForLockerAsync(blois.Shop, blois.LockerId);
        await StartShiftAsync(blois.Courier, BakeryLat, BakeryLon);
        var mainParcel = await ForLockerAsync(Net.Shop);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        await Server.SettleAsync();

        // Networks are applied in the order of their ids: Blois's plan fails, the main network's is applied.
        var faults = Server.Services.GetRequiredService<FaultInjection>();
        faults.Arm(FaultInjection.PlanningBeforeApply);
        var scheduler = Server.Services.GetRequiredService<PlanningScheduler>();
        using var stop = new CancellationTokenSource();
        await scheduler.StartAsync(stop.Token);
        try
        {
            await Wait.UntilAsync(() => !faults.IsArmed(FaultInjection.PlanningBeforeApply), "the planning loop's first run");
            await Wait.UntilAsync(async () => await HasRoundAsync(Net.Courier), "the main network's round");
            Assert.Equal([mainParcel], Stops(await RoundAsync(Net.Courier)).SelectMany(ParcelIds).Distinct());
            Assert.False(await HasRoundAsync(blois.Courier), "Blois's plan was applied");
            Assert.Equal(0L, await CountAsync("select count(*) from planning_cutoffs"));
            var mainRound = await RoundAsync(Net.Courier);

            // The next tick plans Blois; the main network, unchanged, is skipped and keeps its round as it was.
            await TickUntilAsync(PlanningScheduler.Interval, async () => await CountAsync("select count(*) from planning_cutoffs") == 1, "the cut-off to run");
            await Server.SettleAsync();
            Assert.Equal([bloisParcel], Stops(await RoundAsync(blois.Courier)).SelectMany(ParcelIds).Distinct());
            Assert.Equal(mainRound.GetRawText(), (await RoundAsync(Net.Courier)).GetRawText());
            Assert.False(scheduler.ExecuteTask!.IsCompleted, "the planning loop ended");
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    private async Task<bool> HasRoundAsync(HttpClient courier)
    {
        await Server.SettleAsync();
        return (await courier.GetAsync("/api/couriers/me/round")).StatusCode == HttpStatusCode.OK;
    }

    /// <summary>Advances the clock a tick at a time (the loop's timer runs on it) until the condition holds.</summary>
    private async Task TickUntilAsync(TimeSpan tick, Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }

            Server.Clock.Advance(tick);
            await Task.Delay(50);
        }

        throw new TimeoutException("Waited too long for " + what);
    }

    private async Task<long> CountAsync(string sql) => (await Server.QueryAsync(sql, r => r.GetInt64(0))).Single();

    /// <summary>How many of these parcels' recipients got their reminder.</summary>
    private async Task<int> RemindedAsync(params string[] trackingIds)
    {
        await Server.SettleAsync();
        return trackingIds.Count(t => Server.Sms.Sent.Any(m => m.Text.StartsWith("Rappel", StringComparison.Ordinal) && m.Text.Contains(t, StringComparison.Ordinal)));
    }
}
