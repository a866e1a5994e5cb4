using System.Net;
using System.Text.Json;
using Logistics.Application.Planning;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Logistics.Api.Tests.Planning;

public sealed class PlanningRunTests : PlanningTest
{
    [Fact]
    public async Task ACourierEndingTheShiftLosesTheRoundAndTheParcelsGoToAnother()
    {
        var parcels = new[] { await ForLockerAsync(Bookshop), await ForLockerAsync(Bookshop, Net.FarLockerId) };
        await StartShiftAsync(Yanis, BookshopLat, BookshopLon);
        await PlanAsync();
        var yanisRound = await RoundAsync(Yanis);
        Assert.Equal(parcels.Order(), Stops(yanisRound).SelectMany(ParcelIds).Distinct().Order());

        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        await (await Yanis.PostJsonAsync("/api/couriers/me/shift/end", null)).OkAsync();
        await Server.SettleAsync();
        var scheduler = Server.Services.GetRequiredService<PlanningScheduler>();
        Assert.Equal(1, await scheduler.ReplanDroppedOutAsync());
        await Server.SettleAsync();
        Assert.Equal(0, await scheduler.ReplanDroppedOutAsync());
        var plan = await PlanAsync();

        Assert.Equal(1, plan.GetProperty("rounds").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await Yanis.GetAsync("/api/couriers/me/round")).StatusCode);
        var camille = await RoundAsync(Net.Courier);
        Assert.NotEqual(yanisRound.GetProperty("roundId").GetString(), camille.GetProperty("roundId").GetString());
        Assert.Equal(parcels.Order(), Stops(camille).SelectMany(ParcelIds).Distinct().Order());
        var rounds = await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync("/api/rounds"));
        var only = Assert.Single(rounds.EnumerateArray());
        Assert.Equal("Camille", only.GetProperty("courierName").GetString());
        Assert.True(only.GetProperty("distanceKm").GetDouble() > 0);
        Assert.Equal(Stops(camille).Select(Id), Stops(only).Select(Id));
    }

    [Fact]
    public async Task ACompartmentReservedForAParcelTheNextPlanLeavesOutGoesBackToTheLocker()
    {
        var parcel = await ForLockerAsync(Bookshop);
        await StartShiftAsync(Yanis, BookshopLat, BookshopLon);
        await PlanAsync();
        await Server.SettleAsync();
        Assert.Equal(["reserved"], await CompartmentsHoldingAsync(parcel));

        // The only courier goes home: the next plan has nobody to carry the parcel, and frees its compartment.
        await (await Yanis.PostJsonAsync("/api/couriers/me/shift/end", null)).OkAsync();
        await Server.SettleAsync();
        var plan = await PlanAsync();
        await Server.SettleAsync();
        Assert.Equal(0, plan.GetProperty("rounds").GetInt32());
        Assert.Empty(await CompartmentsHoldingAsync(parcel));

        // Back on shift, it is planned again with a compartment of its own.
        await StartShiftAsync(Yanis, BookshopLat, BookshopLon);
        await PlanAsync();
        await Server.SettleAsync();
        Assert.Equal(["reserved"], await CompartmentsHoldingAsync(parcel));
    }

    [Fact]
    public async Task AParcelNotCollectedInTimeIsFetchedFromItsLockerAndTakenBackToItsShop()
    {
        var (parcel, _, compartment, _) = await Net.DepositedAsync();
        Server.Clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        while (await RunSchedulerAsync() > 0)
        {
            await Server.SettleAsync();
        }

        Assert.Equal("Expired", await ParcelStatusAsync(parcel));
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        var plan = await PlanAsync();

        Assert.Empty(plan.GetProperty("unplaced").EnumerateArray());
        var stops = Stops(await RoundAsync(Net.Courier)).ToList();
        var fetch = Assert.Single(stops, s => ParcelIds(s).Contains(parcel) && Actions(s).Contains("pickup"));
        Assert.Equal(Net.LockerId, fetch.GetProperty("place").GetProperty("id").GetString());
        Assert.Equal(compartment, fetch.GetProperty("parcels").EnumerateArray().Single(p => p.GetProperty("parcelId").GetString() == parcel).GetProperty("compartment").GetInt32());
        var back = Assert.Single(stops, s => ParcelIds(s).Contains(parcel) && Actions(s).Contains("return"));
        Assert.Equal(Net.ShopId, back.GetProperty("place").GetProperty("id").GetString());
        Assert.True(stops.IndexOf(fetch) < stops.IndexOf(back));

        await CompleteAsync(Net.Courier, Id(fetch));
        Assert.Equal("Returning", await ParcelStatusAsync(parcel));
        Assert.Empty(await CompartmentsHoldingAsync(parcel));
        await CompleteAsync(Net.Courier, Id(back));
        Assert.Equal("Returned", await ParcelStatusAsync(parcel));
        Assert.Equal("completed", (await RoundAsync(Net.Courier)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AParcelNobodyCanCarryOrReachInItsWindowIsReportedWithTheReason()
    {
        var (_, key) = await NewCourierAsync("Inès", "CargoBike", 2);
        var small = Server.Client(key);
        var fits = await ForLockerAsync(Net.Shop);
        var tooBig = await ForLockerAsync(Net.Shop, size: "L");
        var tooLate = await ForHomeAsync(Net.Shop, Now.AddMinutes(-4), Now.AddMinutes(1), lat: 47.4300, lon: 0.9700);
        await StartShiftAsync(small, BakeryLat, BakeryLon);

        var plan = await PlanAsync();

        Assert.Equal(1, plan.GetProperty("parcelsPlanned").GetInt32());
        var unplaced = plan.GetProperty("unplaced").EnumerateArray().ToDictionary(u => u.GetProperty("parcelId").GetString()!, u => u.GetProperty("reason").GetString()!);
        Assert.Equal([tooBig, tooLate], unplaced.Keys.Order());
        Assert.StartsWith("too-big", unplaced[tooBig], StringComparison.Ordinal);
        Assert.StartsWith("window-unreachable", unplaced[tooLate], StringComparison.Ordinal);
        Assert.Equal([fits], Stops(await RoundAsync(small)).SelectMany(ParcelIds).Distinct());
    }

    [Fact]
    public async Task TwoConcurrentPlanRunsMakeOneRound()
    {
        for (var i = 0; i < 3; i++)
        {
            await ForLockerAsync(Net.Shop);
        }

        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        await Server.SettleAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Server.Operator().PostJsonAsync("/api/planning/run", null)));
        await Server.SettleAsync();

        var answers = await Task.WhenAll(runs.Select(TestCore.ReadAsync<JsonElement>));
        Assert.Equal(answers[0].GetRawText(), answers[1].GetRawText());
        Assert.Equal(3, answers[0].GetProperty("parcelsPlanned").GetInt32());
        var rounds = await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync("/api/rounds"));
        var round = Assert.Single(rounds.EnumerateArray());
        Assert.Equal(3, Stops(round).Where(s => Place(s) == "locker").SelectMany(ParcelIds).Count());
        Assert.Equal(1L, await CountAsync("select count(*) from rm_rounds"));
    }

    [Fact]
    public async Task EachCutOffRunsOnceEvenAcrossARestart()
    {
        var now = Now;
        Server.Clock.Advance(now.UtcDateTime.Date.AddDays(1).AddHours(8) - now.UtcDateTime);
        await ForLockerAsync(Net.Shop);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        await Server.SettleAsync();
        var scheduler = Server.Services.GetRequiredService<PlanningScheduler>();

        Assert.Equal(0, await scheduler.RunDueAsync());
        Server.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(1, await scheduler.RunDueAsync());
        Assert.Equal(0, await scheduler.RunDueAsync());
        await Server.SettleAsync();
        var morning = await RoundAsync(Net.Courier);
        Assert.InRange(morning.GetProperty("plannedAt").GetDateTimeOffset(), Now.AddMilliseconds(-1), Now);

        // A restarted host finds the morning cut-off done; the afternoon one, missed while it was down, runs once.
        var restarted = new PlanningScheduler(
            Server.Services.GetRequiredService<RoundPlanner>(),
            Server.Services.GetRequiredService<Application.ReadSide.PlanningQueries>(),
            Server.Services.GetRequiredService<NpgsqlDataSource>(),
            new PlanningOptions(),
            Server.Clock,
            NullLogger<PlanningScheduler>.Instance);
        Assert.Equal(0, await restarted.RunDueAsync());
        Server.Clock.Advance(TimeSpan.FromHours(6));
        await ForLockerAsync(Net.Shop, Net.FarLockerId);
        await Server.SettleAsync();
        Assert.Equal(1, await restarted.RunDueAsync());
        Assert.Equal(0, await scheduler.RunDueAsync());
        Assert.Equal(2L, await CountAsync("select count(*) from planning_cutoffs"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = Server.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private Task<IReadOnlyList<string>> CompartmentsHoldingAsync(string parcel) =>
        Server.QueryAsync("select status from rm_compartments where parcel_id = $1", r => r.GetString(0), parcel);
}
