using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Application.Planning;
using Logistics.Domain.Couriers;

namespace Logistics.Api.Tests.Planning;

// The rules couriers live with, as a courier and an operator see them through the API: one class per rule, each
// with the options it needs. The test clock's time zone is UTC; places are the test network's (Support).

/// <summary>A break of 20 minutes after an hour at work (6 hours in real life): the round says where it goes.</summary>
public sealed class BreakTests : PlanningTest
{
    protected override LogisticsOptions Configure(LogisticsOptions options) =>
        options with { Planning = options.Planning with { BreakAfter = TimeSpan.FromHours(1), BreakLength = TimeSpan.FromMinutes(20) } };

    [Fact]
    public async Task ACourierFiftyFiveMinutesAtWorkGetsTheBreakWithinFiveMinutesAndTheStopsAfterItComeTwentyMinutesLater()
    {
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        var shiftStart = Now;
        Server.Clock.Advance(TimeSpan.FromMinutes(55));
        await ForLockerAsync(Net.Shop, Net.FarLockerId);
        await ForLockerAsync(Net.Shop, Net.FarLockerId);
        await ForHomeAsync(Net.Shop, Now, Now.AddHours(6), lat: 47.4300, lon: 0.9700);

        var plan = await PlanAsync();

        Assert.Equal(3, plan.GetProperty("parcelsPlanned").GetInt32());
        var stops = Stops(await RoundAsync(Net.Courier)).ToList();
        var at = Assert.Single(stops.Select((s, i) => (Stop: s, Index: i)), x => x.Stop.GetProperty("break").ValueKind == JsonValueKind.Object);
        var pause = at.Stop.GetProperty("break");
        Assert.Equal(20, pause.GetProperty("minutes").GetInt32());
        var from = pause.GetProperty("from").GetDateTimeOffset();
        Assert.InRange(from, Now, shiftStart.AddHours(1));
        var first = pause.GetProperty("beforeStop").GetBoolean() ? at.Index : at.Index + 1;
        Assert.True(first < stops.Count, "stops follow the break");
        Assert.All(stops.Skip(first), s => Assert.True(s.GetProperty("plannedArrival").GetDateTimeOffset() >= from.AddMinutes(20)));
    }
}

/// <summary>No round longer than 15 minutes: a parcel that alone would take longer waits, and the plan says so.</summary>
public sealed class ShiftLengthTests : PlanningTest
{
    protected override LogisticsOptions Configure(LogisticsOptions options) =>
        options with { Planning = options.Planning with { MaxShiftLength = TimeSpan.FromMinutes(15) } };

    [Fact]
    public async Task AParcelTooFarForTheLongestShiftIsLeftOutWithTheReasonAndTheRoundStaysWithinIt()
    {
        var near = await ForLockerAsync(Net.Shop);
        // About 2.8 km each way by bike at 13 km/h: 26 minutes there and back.
        var far = await ForHomeAsync(Net.Shop, Now, Now.AddHours(6), lat: 47.4300, lon: 0.9700);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);

        var plan = await PlanAsync();

        var unplaced = Assert.Single(plan.GetProperty("unplaced").EnumerateArray());
        Assert.Equal(far, unplaced.GetProperty("parcelId").GetString());
        Assert.StartsWith("over-shift-length — ", unplaced.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var stops = Stops(await RoundAsync(Net.Courier)).ToList();
        Assert.Equal([near], stops.SelectMany(ParcelIds).Distinct());
        Assert.True(stops[^1].GetProperty("plannedArrival").GetDateTimeOffset() <= Now.AddMinutes(15));
    }
}

/// <summary>A pedestrian zone around the town hall's locker: cargo bikes at any time, vans until 11:00.</summary>
public sealed class ZoneAccessTests : PlanningTest
{
    protected override LogisticsOptions Configure(LogisticsOptions options) => options with
    {
        Planning = options.Planning with
        {
            Zones =
            [
                new AccessZone("Centre piéton", [new ZoneAccess(Vehicle.CargoBike), new ZoneAccess(Vehicle.Van, To: "11:00")])
                {
                    Polygon = [new(47.4120, 0.9830), new(47.4120, 0.9840), new(47.4128, 0.9840), new(47.4128, 0.9830)],
                },
            ],
        },
    };

    [Fact]
    public async Task AVanServesThePedestrianZoneBeforeElevenOnlyThenItsParcelsGoToTheCargoBike()
    {
        NextDayAt(10);
        var inZone = await ForLockerAsync(Bookshop);
        var outside = await ForLockerAsync(Bookshop, Net.FarLockerId);
        await StartShiftAsync(Yanis, BookshopLat, BookshopLon);

        var morning = await PlanAsync();

        Assert.Equal(2, morning.GetProperty("parcelsPlanned").GetInt32());
        var zoneStop = Assert.Single(Stops(await RoundAsync(Yanis)), s => ParcelIds(s).Contains(inZone) && Actions(s).Contains("deposit"));
        Assert.True(zoneStop.GetProperty("plannedArrival").GetDateTimeOffset() <= new DateTimeOffset(Now.UtcDateTime.Date.AddHours(11), TimeSpan.Zero));

        // At 11:30 the van may no longer go there: both parcels for the zone wait, and Yanis is told why one left his round.
        Server.Clock.Advance(TimeSpan.FromMinutes(90));
        var later = await ForLockerAsync(Bookshop);
        var noon = await PlanAsync();

        var unplaced = noon.GetProperty("unplaced").EnumerateArray().ToDictionary(u => u.GetProperty("parcelId").GetString()!, u => u.GetProperty("reason").GetString()!);
        Assert.Equal([inZone, later], unplaced.Keys.Order());
        Assert.All(unplaced.Values, reason => Assert.StartsWith("no-access — ", reason, StringComparison.Ordinal));
        var yanis = await RoundAsync(Yanis);
        Assert.Equal([outside], Stops(yanis).SelectMany(ParcelIds).Distinct());
        var change = Assert.Single(yanis.GetProperty("changes").GetProperty("parcels").EnumerateArray());
        Assert.Equal((inZone, "removed", "deferred"), (change.GetProperty("parcelId").GetString(), change.GetProperty("change").GetString(), change.GetProperty("reason").GetString()));
        Assert.Equal("1 parcel deferred to a later plan.", yanis.GetProperty("changes").GetProperty("summary").GetString());

        // A cargo bike comes on shift: it takes them.
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        var bike = await PlanAsync();

        Assert.Empty(bike.GetProperty("unplaced").EnumerateArray());
        Assert.Equal([inZone, later], Stops(await RoundAsync(Net.Courier)).SelectMany(ParcelIds).Distinct().Order());
    }
}

/// <summary>Priority parcels promised for today: a promise the plan cannot keep is planned anyway, and said late.</summary>
public sealed class PromiseTests : PlanningTest
{
    [Fact]
    public async Task APromiseThePlanCannotKeepIsPlannedLateAndTheCourierAndTheOperatorSeeByHowMuch()
    {
        NextDayAt(9);
        // 2.8 km away by bike (13 km/h, detour factor 1.3): about 13 minutes after the 2-minute pickup.
        var late = await ForHomeAsync(Net.Shop, Now, Now.AddHours(8), lat: 47.4300, lon: 0.9700, promisedBy: InMinutes(5));
        var kept = await ForHomeAsync(Net.Shop, Now, Now.AddHours(8), lat: 47.4140, lon: 0.9840, promisedBy: InMinutes(90));
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);

        var plan = await PlanAsync();

        Assert.Equal(2, plan.GetProperty("parcelsPlanned").GetInt32());
        Assert.Empty(plan.GetProperty("unplaced").EnumerateArray());
        var said = Assert.Single(plan.GetProperty("late").EnumerateArray());
        Assert.Equal((late, "Camille"), (said.GetProperty("parcelId").GetString(), said.GetProperty("courierName").GetString()));
        var minutes = said.GetProperty("minutesLate").GetInt32();
        Assert.InRange(minutes, 5, 20);
        Assert.Equal(InMinutes(5), said.GetProperty("promisedBy").GetDateTimeOffset());

        var stops = Stops(await RoundAsync(Net.Courier)).ToList();
        var lateStop = Assert.Single(stops, s => ParcelIds(s).Contains(late) && Actions(s).Contains("deliver"));
        Assert.Equal(InMinutes(5), lateStop.GetProperty("promisedBy").GetDateTimeOffset());
        Assert.Equal(minutes, lateStop.GetProperty("lateMinutes").GetInt32());
        Assert.True(lateStop.GetProperty("plannedArrival").GetDateTimeOffset() > InMinutes(5));
        var keptStop = Assert.Single(stops, s => ParcelIds(s).Contains(kept) && Actions(s).Contains("deliver"));
        Assert.Equal(InMinutes(90), keptStop.GetProperty("promisedBy").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, keptStop.GetProperty("lateMinutes").ValueKind);
        Assert.True(keptStop.GetProperty("plannedArrival").GetDateTimeOffset() <= InMinutes(90));
    }
}

/// <summary>Parcels that cannot all fit today: the plan takes what it can and defers the rest with why.</summary>
public sealed class DeferralTests : PlanningTest
{
    [Fact]
    public async Task OfTwoHomesFarApartWithTheSameShortWindowOneIsDeferredToALaterPlanWithTheReason()
    {
        // Each alone is reachable in its window; both are 3.5 km apart, more than the five minutes' window allows.
        var (from, to) = (InMinutes(20), InMinutes(25));
        var north = await ForHomeAsync(Net.Shop, from, to, lat: 47.4300, lon: 0.9700);
        var south = await ForHomeAsync(Net.Shop, from, to, lat: 47.4000, lon: 0.9950);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);

        var plan = await PlanAsync();

        Assert.Equal(1, plan.GetProperty("parcelsPlanned").GetInt32());
        var deferred = Assert.Single(plan.GetProperty("unplaced").EnumerateArray());
        Assert.Contains(deferred.GetProperty("parcelId").GetString(), new[] { north, south });
        Assert.StartsWith("no-room-left — deferred to a later plan: ", deferred.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var planned = Stops(await RoundAsync(Net.Courier)).SelectMany(ParcelIds).Distinct().ToList();
        Assert.Equal([north, south], planned.Append(deferred.GetProperty("parcelId").GetString()!).Order());
    }
}
