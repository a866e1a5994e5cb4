using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Parcels;

public sealed class ParcelJourneyTests : ApiTest
{
    [Fact]
    public async Task AShopRegistersACourierDepositsTheCustomerCollectsAndTrackingShowsEveryStep()
    {
        await using var board = await Net.BoardAsync();
        var (parcel, tracking) = await Net.RegisterForLockerAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();

        var deposit = await TestCore.ReadAsync<JsonElement>(await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null));
        await Server.SettleAsync();

        var compartment = deposit.GetProperty("compartment").GetInt32();
        Assert.Equal(Net.LockerId, deposit.GetProperty("lockerId").GetString());
        Assert.InRange(compartment, 1, 4);
        var sms = Assert.Single(Server.Sms.Sent);
        Assert.Equal(TestNetwork.Phone, sms.To);
        Assert.Contains(tracking, sms.Text, StringComparison.Ordinal);
        Assert.Contains($"casier {compartment}", sms.Text, StringComparison.Ordinal);
        Assert.Single(Server.Email.Sent);

        var collected = await Net.CollectAsync(tracking, Server.Sms.CodeFor(tracking, TestNetwork.Phone));

        Assert.Equal("opening", collected.GetProperty("status").GetString());
        Assert.Equal(compartment, collected.GetProperty("compartment").GetInt32());
        Assert.Equal(new[] { "status", "compartment", "compartments" }, collected.EnumerateObject().Select(p => p.Name));
        Assert.Equal([compartment], collected.GetProperty("compartments").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Contains(board.Executed, c => c is Logistics.LockerLink.CommandBody.OpenForCollection o && o.Compartment == compartment);
        var view = await Net.StatusAsync(tracking, "Collected");

        // The recipient's steps name places as people know them, never by internal id, and carry what the page words.
        var steps = view.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(new[] { "registered", "pickedUp", "deposited", "collected" }, steps.Select(s => s.GetProperty("kind").GetString()));
        Assert.Equal("Consigne Mairie", steps[0].GetProperty("place").GetString());
        Assert.Equal("Boulangerie", steps[1].GetProperty("place").GetString());
        Assert.Equal(compartment, steps[2].GetProperty("compartment").GetInt32());
        Assert.Equal(JsonValueKind.String, steps[2].GetProperty("until").ValueKind);
        Assert.DoesNotContain(Net.LockerId, view.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(parcel, view.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Net.CourierId, view.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Net.ShopId, view.GetRawText(), StringComparison.Ordinal);
        var locker = await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync($"/api/lockers/{Net.LockerId}"));
        Assert.Equal("free", locker.GetProperty("compartments").EnumerateArray().Single(c => c.GetProperty("number").GetInt32() == compartment).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AShopCancelsBeforePickupButNotAfterAndIsToldWhy()
    {
        var (first, _) = await Net.RegisterForLockerAsync();
        var (second, _) = await Net.RegisterForLockerAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{second}/pickup", null)).OkAsync();

        var cancelled = await Net.Shop.PostJsonAsync($"/api/parcels/{first}/cancel", new { reason = "customer called" });
        var refused = await Net.Shop.PostJsonAsync($"/api/parcels/{second}/cancel", new { reason = "too late" });

        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.JsonAsync();
        Assert.Contains("picked up", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("parcel.", problem.GetProperty("code").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShopDropsAParcelInALockerAndTheCourierTakesItFromThere()
    {
        var (parcel, _) = await Net.RegisterForLockerAsync(Net.FarLockerId);

        var dropped = await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync($"/api/parcels/{parcel}/drop", new { lockerId = Net.LockerId }));
        await Server.SettleAsync();
        var whileDropped = await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync($"/api/lockers/{Net.LockerId}"));
        await Net.AssignAsync(parcel);
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        await Server.SettleAsync();
        var afterPickup = await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync($"/api/lockers/{Net.LockerId}"));

        var number = dropped.GetProperty("compartment").GetInt32();
        string StatusOf(JsonElement locker) => locker.GetProperty("compartments").EnumerateArray().Single(c => c.GetProperty("number").GetInt32() == number).GetProperty("status").GetString()!;
        Assert.Equal("occupied", StatusOf(whileDropped));
        Assert.Equal("free", StatusOf(afterPickup));
    }

    [Fact]
    public async Task AFailedHomeDeliveryIsRedirectedToTheNearestLockerWithRoomAndDepositedThere()
    {
        var from = Server.Clock.GetUtcNow().AddHours(1);
        var registered = await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Hugo", phone = "+33600000001", address = new { street = "3 rue de la Gare", postalCode = "37400", city = "Amboise", latitude = 47.4195, longitude = 0.9830 } },
            size = "M",
            destination = new { kind = "home", from, to = from.AddHours(2) },
        }));
        var parcel = registered.GetProperty("parcelId").GetString();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();

        var failed = await TestCore.ReadAsync<JsonElement>(await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/fail-delivery", new { reason = "nobody home" }));
        var deposit = await TestCore.ReadAsync<JsonElement>(await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null));

        Assert.Equal(Net.FarLockerId, failed.GetProperty("redirectedTo").GetString());
        Assert.Equal(Net.FarLockerId, deposit.GetProperty("lockerId").GetString());
        Assert.Equal(5, deposit.GetProperty("compartment").GetInt32());
    }

    [Fact]
    public async Task AHomeParcelIsDeliveredAndTheRecipientIsTold()
    {
        var from = Server.Clock.GetUtcNow().AddHours(1);
        var registered = await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Léa", phone = "+33600000002", address = new { street = "9 quai", postalCode = "37400", city = "Amboise", latitude = 47.414, longitude = 0.981 } },
            size = "S",
            destination = new { kind = "home", from, to = from.AddHours(2) },
        }));
        var parcel = registered.GetProperty("parcelId").GetString();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();

        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deliver", null)).OkAsync();
        await Server.SettleAsync();

        Assert.Contains(Server.Sms.Sent, m => m.Text.Contains("livré", StringComparison.Ordinal));
        var mine = await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync($"/api/parcels/{parcel}"));
        Assert.Equal("Delivered", mine.GetProperty("parcel").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ARelayShopParcelIsDepositedThereAndCollectedWithItsCode()
    {
        var registered = await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Paul", email = "paul@example.org" },
            size = "L",
            destination = new { kind = "relay", shopId = Net.RelayShopId },
        }));
        var parcel = registered.GetProperty("parcelId").GetString();
        var tracking = registered.GetProperty("trackingId").GetString()!;
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();

        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit-at-relay", null)).OkAsync();
        await Server.SettleAsync();
        var code = Server.Email.CodeFor(tracking, null);
        var collect = await Net.Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code });

        Assert.Equal(12, code.Length);
        await collect.OkAsync();
    }
}
