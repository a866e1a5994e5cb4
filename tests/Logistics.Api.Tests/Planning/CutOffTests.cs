using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Application.Planning;
using Logistics.Application.Streams;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Planning;

/// <summary>
/// A cut-off (the scheduler's run, bound to no network) plans every network of the deployment at once, their
/// problems solved in one batch: each network gets its rounds, and a round holds its own network's courier and
/// parcels only (the three test networks share their streets and coordinates, so a mix-up would plan well).
/// </summary>
public sealed class CutOffTests : PlanningTest
{
    private readonly CapturingLogs _logs = new();

    protected override LogisticsOptions Configure(LogisticsOptions options) => options with { Logging = _logs.AddTo };

    [Fact]
    public async Task ACutOffPlansEveryNetworkEachRoundHoldingItsOwnNetworksCourierAndParcels()
    {
        var towns = await ThreeTownsAsync();

        var cutOff = await Server.Services.GetRequiredService<RoundPlanner>().PlanAsync(new CommandContext(Actor.System));
        await Server.SettleAsync();

        // One solve for the three networks, as the operator's log says.
        var batch = Assert.Single(BatchLines());
        Assert.Contains("3 networks, 3 solved together (9 parcels)", batch, StringComparison.Ordinal);
        Assert.EndsWith("0 unchanged since their last run", batch, StringComparison.Ordinal);
        Assert.Equal(3, cutOff.Rounds);
        Assert.Equal(towns.Sum(t => t.Parcels.Count), cutOff.ParcelsPlanned);
        Assert.Empty(cutOff.Unplaced);
        foreach (var town in towns)
        {
            var round = Assert.Single(await RoundsAsync(town));
            Assert.Equal(town.Net.CourierId, round.GetProperty("courierId").GetString());
            Assert.Equal(town.Parcels.Order(), Stops(round).SelectMany(ParcelIds).Distinct().Order());
            Assert.All(Stops(round), s => Assert.Contains(s.GetProperty("place").GetProperty("id").GetString(), town.Places));
            Assert.Equal(town.Parcels.Order(), Stops(await RoundAsync(town.Net.Courier)).SelectMany(ParcelIds).Distinct().Order());
        }

        // Each operator's "plan now" finds nothing new since the cut-off: it answers its network's share of the
        // cut-off's plan and leaves the rounds as they are. The shares add up to the cut-off's answer.
        var shares = new List<JsonElement>();
        foreach (var town in towns)
        {
            var before = await RoundsTextAsync(town);
            shares.Add(await TestCore.ReadAsync<JsonElement>(await town.Operator.PostJsonAsync("/api/planning/run", null)));
            await Server.SettleAsync();
            Assert.Equal(before, await RoundsTextAsync(town));
        }

        Assert.All(shares, s => Assert.Equal(1, s.GetProperty("rounds").GetInt32()));
        Assert.Equal(towns.Select(t => t.Parcels.Count), shares.Select(s => s.GetProperty("parcelsPlanned").GetInt32()));
        Assert.Equal(cutOff.Rounds, shares.Sum(s => s.GetProperty("rounds").GetInt32()));
        Assert.Equal(cutOff.ParcelsPlanned, shares.Sum(s => s.GetProperty("parcelsPlanned").GetInt32()));
        Assert.Equal(cutOff.Unplaced.Count, shares.Sum(s => s.GetProperty("unplaced").GetArrayLength()));
    }

    [Fact]
    public async Task ANetworkWhoseInputIsUnchangedIsSkippedAtTheNextCutOffWhileTheOthersArePlanned()
    {
        NextDayAt(8);
        var towns = await ThreeTownsAsync();
        var scheduler = Server.Services.GetRequiredService<PlanningScheduler>();
        Server.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(1, await scheduler.RunDueAsync());
        await Server.SettleAsync();
        var morning = new List<(string Rounds, DateTimeOffset RanAt)>();
        foreach (var town in towns)
        {
            morning.Add((await RoundsTextAsync(town), await LastRunAtAsync(town.Id)));
        }

        // By the afternoon cut-off, Blois and Chinon have a parcel more; the main network has nothing new.
        Server.Clock.Advance(TimeSpan.FromHours(5));
        var (main, blois, chinon) = (towns[0], towns[1], towns[2]);
        blois.Parcels.Add(await ForLockerAsync(blois.Net.Shop, blois.Net.FarLockerId));
        chinon.Parcels.Add(await ForLockerAsync(chinon.Net.Shop, chinon.Net.LockerId));
        await Server.SettleAsync();
        Assert.Equal(1, await scheduler.RunDueAsync());
        await Server.SettleAsync();

        Assert.Equal(2, BatchLines().Count);
        var afternoon = BatchLines()[^1];
        Assert.Contains("3 networks, 2 solved together (9 parcels)", afternoon, StringComparison.Ordinal);
        Assert.EndsWith("1 unchanged since their last run", afternoon, StringComparison.Ordinal);
        Assert.Equal(morning[0].Rounds, await RoundsTextAsync(main));
        Assert.Equal(morning[0].RanAt, await LastRunAtAsync(main.Id));
        foreach (var (town, before) in towns.Zip(morning).Skip(1))
        {
            Assert.True(await LastRunAtAsync(town.Id) > before.RanAt, $"{town.Id} was not planned again");
            var round = Assert.Single(await RoundsAsync(town));
            Assert.Equal(town.Net.CourierId, round.GetProperty("courierId").GetString());
            Assert.Equal(town.Parcels.Order(), Stops(round).SelectMany(ParcelIds).Distinct().Order());
        }
    }

    /// <summary>
    /// The main network and two more, Blois and Chinon, each with its first courier on shift at the bakery and parcels
    /// from its own shops to its own lockers (2, 3 and 4 of them).
    /// </summary>
    private async Task<List<Town>> ThreeTownsAsync()
    {
        var (blois, bloisOperator) = await NetworkAsync("blois", "Blois");
        var (chinon, chinonOperator) = await NetworkAsync("chinon", "Chinon");
        List<Town> towns = [new("main", Net, Server.Operator(), []), new("blois", blois, bloisOperator, []), new("chinon", chinon, chinonOperator, [])];
        for (var t = 0; t < towns.Count; t++)
        {
            var net = towns[t].Net;
            for (var i = 0; i < t + 2; i++)
            {
                towns[t].Parcels.Add(await ForLockerAsync(i % 2 == 0 ? net.Shop : Server.Client(net.OtherShopKey), i % 2 == 0 ? net.LockerId : net.FarLockerId));
            }

            await StartShiftAsync(net.Courier, BakeryLat, BakeryLon);
        }

        await Server.SettleAsync();
        return towns;
    }

    /// <summary>The planner's log line of each run over every network.</summary>
    private List<string> BatchLines() => [.. _logs.Lines.Where(l => l.Contains("Planning every network: ", StringComparison.Ordinal))];

    private static async Task<List<JsonElement>> RoundsAsync(Town town) =>
        [.. (await TestCore.ReadAsync<JsonElement>(await town.Operator.GetAsync("/api/rounds"))).EnumerateArray()];

    private static async Task<string> RoundsTextAsync(Town town) => await (await town.Operator.GetAsync("/api/rounds")).Content.ReadAsStringAsync();

    /// <summary>When the planner last planned the network (its row in <c>planning_runs</c>; a run skipped as unchanged leaves it).</summary>
    private async Task<DateTimeOffset> LastRunAtAsync(string network) =>
        (await Server.QueryAsync("select ran_at from planning_runs where id = hashtext($1)", r => r.GetFieldValue<DateTimeOffset>(0), network)).Single();

    /// <summary>A network of the test: its operator, the parcels its shops registered, the shops and lockers its rounds may visit.</summary>
    private sealed record Town(string Id, TestNetwork Net, HttpClient Operator, List<string> Parcels)
    {
        public IReadOnlyList<string> Places => [Net.ShopId, Net.RelayShopId, Net.LockerId, Net.FarLockerId];
    }
}
