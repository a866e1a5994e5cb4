using System.Net;
using System.Text.Json;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Planning;

public sealed class RoundJourneyTests : PlanningTest
{
    [Fact]
    public async Task PlannedRoundPicksUpFirstPoolsTheLockerAndDeliversHomeWithinItsWindowThenIsFollowedToTheEnd()
    {
        var fromBakery = new[] { await ForLockerAsync(Net.Shop), await ForLockerAsync(Net.Shop, size: "M") };
        var fromBookshop = await ForLockerAsync(Bookshop);
        var (from, to) = (InMinutes(30), InMinutes(180));
        var home = await ForHomeAsync(Net.Shop, from, to);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);

        var plan = await PlanAsync();

        Assert.Equal(1, plan.GetProperty("rounds").GetInt32());
        Assert.Equal(4, plan.GetProperty("parcelsPlanned").GetInt32());
        Assert.Empty(plan.GetProperty("unplaced").EnumerateArray());
        var round = await RoundAsync(Net.Courier);
        Assert.Equal(Net.CourierId, round.GetProperty("courierId").GetString());
        Assert.Equal("active", round.GetProperty("status").GetString());
        var stops = Stops(round).ToList();
        Assert.Equal(Enumerable.Range(1, stops.Count), stops.Select(s => s.GetProperty("sequence").GetInt32()));
        Assert.Equal(Id(stops[0]), round.GetProperty("nextStopId").GetString());

        // Both shops first, then one visit to the locker with the three parcels, then the home.
        var lastPickup = stops.FindLastIndex(s => Actions(s).Contains("pickup"));
        var firstDelivery = stops.FindIndex(s => !Actions(s).Contains("pickup"));
        Assert.True(lastPickup < firstDelivery, "every pickup comes before the first delivery");
        Assert.Equal(2, stops.Count(s => s.GetProperty("kind").GetString() == "pickup"));
        Assert.Equal(["Boulangerie", "Librairie"], stops.Take(2).Select(s => s.GetProperty("place").GetProperty("name").GetString()!).Order());
        var locker = Assert.Single(stops, s => Place(s) == "locker");
        Assert.Equal("delivery", locker.GetProperty("kind").GetString());
        Assert.Equal(Net.LockerId, locker.GetProperty("place").GetProperty("id").GetString());
        Assert.Equal([.. fromBakery, fromBookshop], ParcelIds(locker).Order());
        // Each parcel reads as people know it: its tracking number, the shop that sent it, the recipient's first name alone.
        Assert.All(stops.SelectMany(s => s.GetProperty("parcels").EnumerateArray()), p =>
        {
            Assert.StartsWith("LG-", p.GetProperty("trackingId").GetString());
            Assert.Equal("Louise", p.GetProperty("recipientFirstName").GetString());
        });
        Assert.Equal(
            ["Boulangerie", "Boulangerie", "Librairie"],
            locker.GetProperty("parcels").EnumerateArray().Select(p => p.GetProperty("shopName").GetString()!).Order());
        var reserved = locker.GetProperty("parcels").EnumerateArray().Select(p => p.GetProperty("compartment").GetInt32()).ToList();
        Assert.Equal(3, reserved.Distinct().Count());
        var homeStop = Assert.Single(stops, s => Place(s) == "home");
        Assert.Equal(JsonValueKind.Null, homeStop.GetProperty("place").GetProperty("id").ValueKind);
        Assert.Equal("8 rue Colbert, 37000 Tours", homeStop.GetProperty("place").GetProperty("address").GetString());
        Assert.Equal(["deliver"], Actions(homeStop));
        var arrival = homeStop.GetProperty("plannedArrival").GetDateTimeOffset();
        Assert.InRange(arrival, from, to);
        Assert.Equal(from, homeStop.GetProperty("window").GetProperty("from").GetDateTimeOffset());

        // The courier follows the round stop by stop.
        foreach (var stop in stops.Where(s => Place(s) != "home"))
        {
            var done = await CompleteAsync(Net.Courier, Id(stop));
            Assert.Equal(Id(stop), done.GetProperty("stopId").GetString());
            Assert.Equal(ParcelIds(stop).Order(), done.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("parcelId").GetString()!).Order());
            if (Place(stop) == "locker")
            {
                Assert.Equal(reserved.Order(), done.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("compartment").GetInt32()).Order());
            }
        }

        foreach (var parcel in fromBakery.Append(fromBookshop))
        {
            Assert.Equal("AwaitingCollection", await ParcelStatusAsync(parcel));
        }

        Server.Clock.Advance(from - Now + TimeSpan.FromMinutes(5));
        var last = await CompleteAsync(Net.Courier, Id(homeStop));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("nextStopId").ValueKind);
        Assert.Equal("Delivered", await ParcelStatusAsync(home));
        var finished = await RoundAsync(Net.Courier);
        Assert.Equal("completed", finished.GetProperty("status").GetString());
        Assert.All(Stops(finished), s => Assert.Equal("done", s.GetProperty("status").GetString()));
        Assert.All(Stops(finished).SelectMany(s => s.GetProperty("parcels").EnumerateArray()), p => Assert.True(p.GetProperty("done").GetBoolean()));

        // A stop cannot be done twice.
        var again = await Net.Courier.PostJsonAsync($"/api/couriers/me/round/stops/{Id(homeStop)}/complete", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task ParcelEndpointsMarkTheRoundTooAndAReplanKeepsDoneStopsAndParcelsOnBoard()
    {
        var first = new[] { await ForLockerAsync(Net.Shop), await ForLockerAsync(Net.Shop) };
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        await PlanAsync();
        var before = await RoundAsync(Net.Courier);
        var pickup = Stops(before).First();
        Assert.Equal(first.Order(), ParcelIds(pickup).Order());

        // Picked up through the plain parcel endpoint: the round's stop is done all the same.
        foreach (var parcel in first)
        {
            await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        }

        await Server.SettleAsync();
        var afterPickup = await RoundAsync(Net.Courier);
        Assert.Equal("done", Stops(afterPickup).First().GetProperty("status").GetString());
        Assert.NotEqual(Id(pickup), afterPickup.GetProperty("nextStopId").GetString());

        // Nothing new: planning again changes nothing.
        var unchanged = await PlanAsync();
        Assert.Equal(1, unchanged.GetProperty("rounds").GetInt32());
        Assert.Equal(afterPickup.GetRawText(), (await RoundAsync(Net.Courier)).GetRawText());

        // A new parcel at the other shop for the far locker joins the same round; what was done stays.
        var late = await ForLockerAsync(Bookshop, Net.FarLockerId);
        var replan = await PlanAsync();
        Assert.Equal(3, replan.GetProperty("parcelsPlanned").GetInt32());
        var after = await RoundAsync(Net.Courier);
        Assert.Equal(before.GetProperty("roundId").GetString(), after.GetProperty("roundId").GetString());
        var stops = Stops(after).ToList();
        Assert.Equal(Id(pickup), Id(stops[0]));
        Assert.Equal("done", stops[0].GetProperty("status").GetString());
        Assert.All(stops.Skip(1), s => Assert.Equal("pending", s.GetProperty("status").GetString()));
        Assert.Contains(stops, s => Place(s) == "shop" && ParcelIds(s).SequenceEqual([late]));
        Assert.Contains(stops, s => Place(s) == "locker" && s.GetProperty("place").GetProperty("id").GetString() == Net.FarLockerId && ParcelIds(s).SequenceEqual([late]));
        var onBoard = Assert.Single(stops, s => Place(s) == "locker" && s.GetProperty("place").GetProperty("id").GetString() == Net.LockerId);
        Assert.Equal(first.Order(), ParcelIds(onBoard).Order());
        Assert.Equal(["deposit", "deposit"], Actions(onBoard));

        // Deposited through the parcel endpoint: the round marks it at the locker stop.
        var deposit = await TestCore.ReadAsync<JsonElement>(await Net.Courier.PostJsonAsync($"/api/parcels/{first[0]}/deposit", null));
        await Server.SettleAsync();
        var marked = Stops(await RoundAsync(Net.Courier)).Single(s => Id(s) == Id(onBoard)).GetProperty("parcels").EnumerateArray()
            .Single(p => p.GetProperty("parcelId").GetString() == first[0]);
        Assert.True(marked.GetProperty("done").GetBoolean());
        Assert.Equal(deposit.GetProperty("compartment").GetInt32(), marked.GetProperty("compartment").GetInt32());
    }

    [Fact]
    public async Task AFailedHomeDeliveryAddsALockerDepositToTheRestOfTheRound()
    {
        var home = await ForHomeAsync(Net.Shop, Now, Now.AddHours(4));
        var other = await ForLockerAsync(Net.Shop, Net.FarLockerId);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        await PlanAsync();
        var round = await RoundAsync(Net.Courier);
        var stops = Stops(round).ToList();
        await CompleteAsync(Net.Courier, Id(stops[0]));
        var homeStop = stops.Single(s => Place(s) == "home");

        var failed = await TestCore.ReadAsync<JsonElement>(
            await Net.Courier.PostJsonAsync($"/api/couriers/me/round/stops/{Id(homeStop)}/fail", new { parcelId = home, reason = "nobody home" }));
        await Server.SettleAsync();

        var redirectedTo = failed.GetProperty("redirectedTo").GetString();
        var after = await RoundAsync(Net.Courier);
        Assert.Equal(round.GetProperty("roundId").GetString(), after.GetProperty("roundId").GetString());
        var afterStops = Stops(after).ToList();
        Assert.Equal("failed", afterStops.Single(s => Id(s) == Id(homeStop)).GetProperty("status").GetString());
        var redirect = Assert.Single(afterStops, s => s.GetProperty("status").GetString() == "pending" && ParcelIds(s).Contains(home));
        Assert.Equal("locker", Place(redirect));
        Assert.Equal(redirectedTo, redirect.GetProperty("place").GetProperty("id").GetString());
        Assert.Contains(afterStops, s => s.GetProperty("status").GetString() == "pending" && ParcelIds(s).Contains(other));
        Assert.True(afterStops.IndexOf(redirect) > afterStops.FindIndex(s => Id(s) == Id(homeStop)));
        Assert.Equal(failed.GetProperty("nextStopId").GetString(), after.GetProperty("nextStopId").GetString());

        foreach (var stop in afterStops.Where(s => s.GetProperty("status").GetString() == "pending"))
        {
            await CompleteAsync(Net.Courier, Id(stop));
        }

        Assert.Equal("AwaitingCollection", await ParcelStatusAsync(home));
        Assert.Equal("completed", (await RoundAsync(Net.Courier)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AParcelCancelledAfterPlanningIsSkippedAtItsStopThenDroppedWithItsCompartment()
    {
        var kept = await ForLockerAsync(Net.Shop);
        var cancelled = await ForLockerAsync(Net.Shop);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        await PlanAsync();
        await (await Net.Shop.PostJsonAsync($"/api/parcels/{cancelled}/cancel", new { reason = "customer changed their mind" })).OkAsync();
        var pickup = Stops(await RoundAsync(Net.Courier)).First();

        var done = await CompleteAsync(Net.Courier, Id(pickup));

        Assert.Equal([kept], done.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("parcelId").GetString()!));
        await PlanAsync();
        var locker = Stops(await RoundAsync(Net.Courier)).Single(s => Place(s) == "locker");
        Assert.Equal([kept], ParcelIds(locker));
        var compartments = (await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync($"/api/lockers/{Net.LockerId}"))).GetProperty("compartments").EnumerateArray();
        Assert.Equal([kept], compartments.Where(c => c.GetProperty("status").GetString() == "reserved").Select(c => c.GetProperty("parcelId").GetString()));
    }

    [Fact]
    public async Task AStopDoneForSomeParcelsKeepsTheOthersForTheNextPlanAndARetryWithTheSameKeyIsReplayed()
    {
        var taken = await ForLockerAsync(Net.Shop);
        var left = await ForLockerAsync(Net.Shop);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        await PlanAsync();
        var pickup = Stops(await RoundAsync(Net.Courier)).First();

        var first = await Net.Courier.PostJsonAsync($"/api/couriers/me/round/stops/{Id(pickup)}/complete", new { parcels = new[] { taken } }, "stop-1");
        var retry = await Net.Courier.PostJsonAsync($"/api/couriers/me/round/stops/{Id(pickup)}/complete", new { parcels = new[] { taken } }, "stop-1");
        await Server.SettleAsync();

        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("InTransit", await ParcelStatusAsync(taken));
        Assert.Equal("AwaitingPickup", await ParcelStatusAsync(left));
        Assert.Equal(HttpStatusCode.NotFound, (await Yanis.PostJsonAsync($"/api/couriers/me/round/stops/{Id(pickup)}/complete", null)).StatusCode);

        await PlanAsync();
        var stops = Stops(await RoundAsync(Net.Courier)).ToList();
        Assert.Equal("done", stops[0].GetProperty("status").GetString());
        Assert.Contains(stops.Skip(1), s => s.GetProperty("status").GetString() == "pending" && Actions(s).Contains("pickup") && ParcelIds(s).SequenceEqual([left]));
    }

    [Fact]
    public async Task AParcelDroppedAtALockerIsPickedUpThereAndOneForARelayShopIsHandedOverThere()
    {
        var dropped = await ForLockerAsync(Net.Shop, Net.FarLockerId);
        var drop = await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync($"/api/parcels/{dropped}/drop", new { lockerId = Net.LockerId }));
        var toRelay = await RegisterAsync(Net.Shop, new { kind = "relay", shopId = Net.RelayShopId });
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);

        var plan = await PlanAsync();

        Assert.Equal(2, plan.GetProperty("parcelsPlanned").GetInt32());
        var stops = Stops(await RoundAsync(Net.Courier)).ToList();
        var lockerPickup = Assert.Single(stops, s => Place(s) == "locker" && Actions(s).Contains("pickup"));
        Assert.Equal(Net.LockerId, lockerPickup.GetProperty("place").GetProperty("id").GetString());
        Assert.Equal(drop.GetProperty("compartment").GetInt32(), lockerPickup.GetProperty("parcels")[0].GetProperty("compartment").GetInt32());
        var relay = Assert.Single(stops, s => Actions(s).Contains("depositAtRelay"));
        Assert.Equal(Net.RelayShopId, relay.GetProperty("place").GetProperty("id").GetString());
        Assert.Equal("2 rue Nationale", relay.GetProperty("place").GetProperty("address").GetString());

        foreach (var stop in stops)
        {
            await CompleteAsync(Net.Courier, Id(stop));
        }

        Assert.Equal("AwaitingCollection", await ParcelStatusAsync(dropped));
        Assert.Equal("AwaitingCollection", await ParcelStatusAsync(toRelay));
        Assert.Equal("completed", (await RoundAsync(Net.Courier)).GetProperty("status").GetString());
    }
}
