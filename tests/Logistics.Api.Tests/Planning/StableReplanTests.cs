using System.Text.Json;
using Logistics.Api.Hosting;

namespace Logistics.Api.Tests.Planning;

/// <summary>
/// Stable rounds: a re-plan leaves a planned parcel with its courier unless giving it to another saves more than the
/// move cost, changes a started round by a few parcels at most, and tells the courier what changed and why.
/// </summary>
public abstract class StableReplanTest : PlanningTest
{
    protected abstract double MoveCost { get; }

    protected override LogisticsOptions Configure(LogisticsOptions options) =>
        options with { Planning = options.Planning with { MoveCost = MoveCost, MaxStartedChanges = 1 } };

    /// <summary>
    /// Inès (cargo bike, 3 units) has a parcel for the town hall's locker and one from the bookshop for the station's,
    /// 0.8 km north. Then Yanis (van) comes on shift at the bookshop with a large parcel for the station, too big for
    /// her bike, and two more parcels arrive for the town hall. Giving him her station parcel saves her about 2.2 km
    /// and costs him nothing: he goes there anyway.
    /// </summary>
    protected async Task<(string Station, HttpClient Ines, JsonElement Plan)> YanisComesOnShiftAsync()
    {
        var (_, key) = await NewCourierAsync("Inès", "CargoBike", 3);
        var ines = Server.Client(key);
        await ForLockerAsync(Net.Shop);
        var station = await ForLockerAsync(Bookshop, Net.FarLockerId);
        await StartShiftAsync(ines, BakeryLat, BakeryLon);
        await PlanAsync();
        Assert.Equal(2, Stops(await RoundAsync(ines)).SelectMany(ParcelIds).Distinct().Count());

        await ForLockerAsync(Bookshop, Net.FarLockerId, size: "L");
        await ForLockerAsync(Net.Shop);
        await ForLockerAsync(Net.Shop);
        await StartShiftAsync(Yanis, BookshopLat, BookshopLon);
        return (station, ines, await PlanAsync());
    }

    protected static List<(string Parcel, string Change, string Reason, string? Courier)> Changes(JsonElement round) =>
    [
        .. round.GetProperty("changes").GetProperty("parcels").EnumerateArray().Select(c => (
            c.GetProperty("parcelId").GetString()!, c.GetProperty("change").GetString()!, c.GetProperty("reason").GetString()!, c.GetProperty("courierName").GetString())),
    ];
}

public sealed class StableReplanMovesTests : StableReplanTest
{
    protected override double MoveCost => 500;

    [Fact]
    public async Task AParcelMovesToACourierWhoPassesThereFirstWhenThatSavesMoreThanTheMoveCostAndTheRoundSaysSo()
    {
        var (station, ines, plan) = await YanisComesOnShiftAsync();

        Assert.Equal(5, plan.GetProperty("parcelsPlanned").GetInt32());
        var round = await RoundAsync(ines);
        Assert.DoesNotContain(station, Stops(round).SelectMany(ParcelIds));
        Assert.Contains(station, Stops(await RoundAsync(Yanis)).SelectMany(ParcelIds));
        var changes = Changes(round);
        Assert.Contains((station, "removed", "passes-first", "Yanis"), changes);
        Assert.Equal(2, changes.Count(c => c is { Change: "added", Reason: "new" }));
        Assert.Equal("2 parcels added, 1 parcel moved to Yanis: they pass there first.", round.GetProperty("changes").GetProperty("summary").GetString());
    }

    [Fact]
    public async Task AStartedRoundTakesAtMostTheConfiguredNumberOfNewParcelsAndTheOthersWaitForTheNextPlan()
    {
        var first = new[] { await ForLockerAsync(Net.Shop), await ForLockerAsync(Net.Shop, Net.FarLockerId) };
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        await PlanAsync();
        var pickup = Assert.Single(Stops(await RoundAsync(Net.Courier)), s => Actions(s).Contains("pickup"));
        await CompleteAsync(Net.Courier, Id(pickup));

        // Three more for the town hall's locker, on her way: from scratch she would take them all.
        var more = new[] { await ForLockerAsync(Net.Shop), await ForLockerAsync(Net.Shop), await ForLockerAsync(Net.Shop) };
        var plan = await PlanAsync();

        Assert.Equal(3, plan.GetProperty("parcelsPlanned").GetInt32());
        var waiting = plan.GetProperty("unplaced").EnumerateArray().ToList();
        Assert.Equal(2, waiting.Count);
        Assert.All(waiting, u => Assert.StartsWith("no-room-left — ", u.GetProperty("reason").GetString(), StringComparison.Ordinal));
        var camille = await RoundAsync(Net.Courier);
        var added = Assert.Single(Changes(camille));
        Assert.Equal(("added", "new"), (added.Change, added.Reason));
        Assert.Equal(more.Order(), waiting.Select(u => u.GetProperty("parcelId").GetString()!).Append(added.Parcel).Order());
        var pending = Stops(camille).Where(s => s.GetProperty("status").GetString() == "pending").SelectMany(ParcelIds).Distinct().ToList();
        Assert.Equal(first.Append(added.Parcel).Order(), pending.Order());
        Assert.Equal("1 parcel added.", camille.GetProperty("changes").GetProperty("summary").GetString());
    }
}

public sealed class StableReplanKeepsTests : StableReplanTest
{
    protected override double MoveCost => 50_000;

    [Fact]
    public async Task AParcelStaysWithItsCourierWhenMovingItSavesLessThanTheMoveCost()
    {
        var (station, ines, plan) = await YanisComesOnShiftAsync();

        Assert.Equal(5, plan.GetProperty("parcelsPlanned").GetInt32());
        var round = await RoundAsync(ines);
        Assert.Contains(station, Stops(round).SelectMany(ParcelIds));
        Assert.DoesNotContain(station, Stops(await RoundAsync(Yanis)).SelectMany(ParcelIds));
        Assert.DoesNotContain(Changes(round), c => c.Change == "removed");
    }
}
