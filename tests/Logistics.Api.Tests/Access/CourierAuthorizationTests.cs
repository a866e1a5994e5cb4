using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Access;

/// <summary>
/// Only the courier who holds a parcel, or whose round (or an operator) gives it to them, moves it; every door a
/// courier's request opens is in the locker's door log with who asked.
/// </summary>
public sealed class CourierAuthorizationTests : ApiTest
{
    private HttpClient OtherCourier => Server.Client(Net.OtherCourierKey);

    [Fact]
    public async Task ADepositRepeatedByItsCourierOpensNothingAndAnotherCourierIsRefused()
    {
        await using var board = await Net.BoardAsync();
        var deposit = await Net.DepositedAsync();
        var doorsBefore = await DoorsAsync();

        var again = await TestCore.ReadAsync<JsonElement>(await Net.Courier.PostJsonAsync($"/api/parcels/{deposit.ParcelId}/deposit", null));
        var other = await OtherCourier.PostJsonAsync($"/api/parcels/{deposit.ParcelId}/deposit", null);
        var otherElsewhere = await OtherCourier.PostJsonAsync($"/api/parcels/{deposit.ParcelId}/deposit", new { lockerId = Net.FarLockerId });
        await Server.SettleAsync();

        Assert.Equal(deposit.Compartment, again.GetProperty("compartment").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("parcel.not-yours", (await other.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, otherElsewhere.StatusCode);
        Assert.Single(doorsBefore);
        Assert.Equal(doorsBefore.Select(d => d.GetRawText()), (await DoorsAsync()).Select(d => d.GetRawText()));
        // The recipient's code still works: the board's code was not replaced.
        Assert.Equal(deposit.Code, Server.Sms.CodeFor(deposit.TrackingId, TestNetwork.Phone));
        Assert.Single(Server.Sms.Sent, m => m.Text.Contains(deposit.TrackingId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryCourierActionOnAParcelAnotherCourierHoldsIsRefused()
    {
        await using var board = await Net.BoardAsync();
        var (parcel, _) = await Net.RegisterForLockerAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();

        foreach (var action in new[] { "pickup", "deposit", "deposit-at-relay", "deliver", "fail-delivery", "return" })
        {
            var refused = await OtherCourier.PostJsonAsync($"/api/parcels/{parcel}/{action}", null);
            Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Conflict, $"{action}: {refused.StatusCode}");
        }

        await Server.SettleAsync();
        Assert.Equal("InTransit", (await Net.TrackAsync((await ParcelAsync(parcel)).GetProperty("trackingId").GetString()!)).GetProperty("status").GetString());
        Assert.Empty(await DoorsAsync());
    }

    [Fact]
    public async Task ADroppedParcelIsTakenOutOnlyByTheCourierItIsAssignedTo()
    {
        await using var board = await Net.BoardAsync();
        var (parcel, _) = await Net.RegisterForLockerAsync(Net.FarLockerId);
        await (await Net.Shop.PostJsonAsync($"/api/parcels/{parcel}/drop", new { lockerId = Net.LockerId })).OkAsync();
        await Server.SettleAsync();

        var unassigned = await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null);
        await Net.AssignAsync(parcel);
        var other = await OtherCourier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null);
        var byShop = await Net.Shop.PostJsonAsync($"/api/parcels/{parcel}/assign", new { courierId = Net.CourierId });
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        await Server.SettleAsync();

        Assert.Equal(HttpStatusCode.Forbidden, unassigned.StatusCode);
        Assert.Equal("parcel.not-in-your-round", (await unassigned.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byShop.StatusCode);

        // The door log: the shop's drop opened a door, then the courier's pickup did; each says who asked.
        var doors = await DoorsAsync();
        Assert.Equal(["openForPickup", "openForDeposit"], doors.Select(d => d.GetProperty("kind").GetString()));
        Assert.Equal(("courier", Net.CourierId), (doors[0].GetProperty("actorKind").GetString(), doors[0].GetProperty("actorId").GetString()));
        Assert.Equal(("shop", Net.ShopId), (doors[1].GetProperty("actorKind").GetString(), doors[1].GetProperty("actorId").GetString()));
        Assert.All(doors, d => Assert.Equal(parcel, d.GetProperty("parcelId").GetString()));
    }

    [Fact]
    public async Task TheDoorLogNamesTheCustomerForACollectionAndIsTheOperatorsOnly()
    {
        await using var board = await Net.BoardAsync();
        var deposit = await Net.DepositedAsync();
        await Net.CollectAsync(deposit.TrackingId, deposit.Code);

        var doors = await DoorsAsync();
        var forShop = await Net.Shop.GetAsync($"/api/lockers/{Net.LockerId}/door-log");
        var forCourier = await Net.Courier.GetAsync($"/api/lockers/{Net.LockerId}/door-log");

        Assert.Equal(["openForCollection", "openForDeposit"], doors.Select(d => d.GetProperty("kind").GetString()));
        Assert.Equal("customer", doors[0].GetProperty("actorKind").GetString());
        Assert.Equal("Executed", doors[0].GetProperty("result").GetString());
        Assert.Equal(("courier", Net.CourierId), (doors[1].GetProperty("actorKind").GetString(), doors[1].GetProperty("actorId").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, forShop.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forCourier.StatusCode);
    }

    private async Task<List<JsonElement>> DoorsAsync() =>
        [.. (await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync($"/api/lockers/{Net.LockerId}/door-log"))).EnumerateArray()];

    private async Task<JsonElement> ParcelAsync(string parcel) =>
        (await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync($"/api/parcels/{parcel}"))).GetProperty("parcel");
}
