using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Access;

public sealed class AccessTests : ApiTest
{
    [Fact]
    public async Task NoWriteIsAnonymous()
    {
        var anonymous = Server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostJsonAsync("/api/parcels", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostJsonAsync("/api/shops", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Client("lg_shop_NOTAKEY").GetAsync("/api/parcels")).StatusCode);
    }

    [Fact]
    public async Task EachRoleDoesOnlyItsOwnWork()
    {
        var (parcel, _) = await Net.RegisterForLockerAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await Net.Courier.PostJsonAsync("/api/parcels", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Net.Shop.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Net.Shop.PostJsonAsync("/api/shops", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Net.Courier.GetAsync($"/api/lockers/{Net.LockerId}")).StatusCode);
    }

    [Fact]
    public async Task AShopSeesOnlyItsOwnParcels()
    {
        var (parcel, _) = await Net.RegisterForLockerAsync();
        await Server.SettleAsync();
        var other = Server.Client(Net.OtherShopKey);

        var mine = await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync("/api/parcels"));
        var theirs = await TestCore.ReadAsync<JsonElement>(await other.GetAsync("/api/parcels"));

        Assert.Equal(parcel, Assert.Single(mine.EnumerateArray()).GetProperty("parcelId").GetString());
        Assert.Empty(theirs.EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/parcels/{parcel}")).StatusCode);
        // Another shop's parcel does not exist for it: the refusal says nothing about it.
        var cancel = await other.PostJsonAsync($"/api/parcels/{parcel}/cancel", new { reason = "not mine" });
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.DoesNotContain("LG-", await cancel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACourierSeesWhatItCarriesAndCannotDepositAnotherCouriersParcel()
    {
        var (parcel, _) = await Net.RegisterForLockerAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        await Server.SettleAsync();
        var other = Server.Client(Net.OtherCourierKey);

        var load = await TestCore.ReadAsync<JsonElement>(await Net.Courier.GetAsync("/api/couriers/me/load"));
        var otherLoad = await TestCore.ReadAsync<JsonElement>(await other.GetAsync("/api/couriers/me/load"));
        var stolen = await other.PostJsonAsync($"/api/parcels/{parcel}/deposit", null);

        Assert.Equal(1, load.GetProperty("units").GetInt32());
        var carried = Assert.Single(load.GetProperty("carrying").EnumerateArray());
        Assert.StartsWith("LG-", carried.GetProperty("trackingId").GetString());
        Assert.Equal("Boulangerie", carried.GetProperty("shopName").GetString());
        Assert.False(carried.TryGetProperty("recipientName", out _), "the courier's load names the recipient by first name only");
        Assert.Equal("Camille", carried.GetProperty("recipientFirstName").GetString());
        Assert.Equal(0, otherLoad.GetProperty("units").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/parcels/{parcel}")).StatusCode);
    }

    [Fact]
    public async Task ARevokedKeyStopsWorking()
    {
        Assert.Equal(HttpStatusCode.OK, (await Net.Shop.GetAsync("/api/parcels")).StatusCode);

        await (await Server.Operator().PostJsonAsync($"/api/credentials/shop/{Net.ShopId}/revoke", null)).OkAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Net.Shop.GetAsync("/api/parcels")).StatusCode);
    }
}
