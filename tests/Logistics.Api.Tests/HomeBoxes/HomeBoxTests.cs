using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Planning;
using Logistics.Application.Streams;
using Logistics.Domain.HomeBoxes;
using Logistics.LockerLink;
using Logistics.Testing;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.HomeBoxes;

/// <summary>
/// Issue 16, part 10: a resident's own parcel box. The operator sets it up with a pairing code printed on it; the
/// resident pairs it; shops may send it only its owner's parcels; the courier's round stops there, the deposit opens
/// it through its board, its owner is told, no code is issued, and the owner opening their box takes the parcel out.
/// </summary>
public sealed class HomeBoxTests : PlanningTest
{
    private const string OwnerPhone = "06 11 22 33 44";   // TestNetwork.Phone written the French way

    [Fact]
    public async Task TheResidentPairsTheBoxWithTheCodePrintedOnItAndNobodyElseCanPairItThen()
    {
        var box = await ProvisionAsync();

        var wrong = await ClaimAsync(box.Id, "ZZZZ-ZZZZ", "Louise Bernard", OwnerPhone);
        Assert.Equal("homebox.wrong-pairing-code", (await ProblemAsync(wrong, HttpStatusCode.Conflict)).GetProperty("code").GetString());

        var claimed = await TestCore.ReadAsync<JsonElement>(await ClaimAsync(box.Id, box.Code.ToLowerInvariant(), "Louise Bernard", OwnerPhone));
        Assert.Equal((box.Id, "Boîte de Louise"), (claimed.GetProperty("boxId").GetString(), claimed.GetProperty("name").GetString()));
        // Paired again by its owner (a retry): nothing changes.
        await (await ClaimAsync(box.Id, box.Code, "Louise Bernard", TestNetwork.Phone)).OkAsync();

        var other = await ClaimAsync(box.Id, box.Code, "Marc Petit", "07 98 76 54 32");
        Assert.Equal("homebox.already-claimed", (await ProblemAsync(other, HttpStatusCode.Conflict)).GetProperty("code").GetString());

        // The operator sees it paired, not by whom; the stream keeps the resident sealed, never in clear.
        await Server.SettleAsync();
        var listed = await Server.Operator().GetStringAsync("/api/home-boxes");
        var row = Assert.Single(JsonDocument.Parse(listed).RootElement.EnumerateArray());
        Assert.True(row.GetProperty("paired").GetBoolean());
        Assert.Equal("12 rue des Tanneurs", row.GetProperty("address").GetString());
        var stored = await Server.QueryAsync("select data::text from es_events where stream_id = $1", r => r.GetString(0), $"homebox-{box.Id}");
        Assert.Equal(2, stored.Count);
        Assert.All(new[] { listed, string.Concat(stored) }, text =>
        {
            Assert.DoesNotContain("Louise Bernard", text, StringComparison.Ordinal);
            Assert.DoesNotContain("11 22 33 44", text, StringComparison.Ordinal);
            Assert.DoesNotContain("rue des Lilas", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task TheBoxTakesItsOwnersParcelsOnlyWhicheverWayTheShopWritesTheirPhone()
    {
        var box = await PairedAsync();

        var mine = await Net.Shop.PostJsonAsync("/api/parcels", ForBox(box.Id, TestNetwork.Phone));
        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);

        var someoneElse = await Net.Shop.PostJsonAsync("/api/parcels", ForBox(box.Id, "07 98 76 54 32"));
        var refused = await ProblemAsync(someoneElse, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("validation.box-not-recipients", refused.GetProperty("errorCodes").GetProperty("recipient.phone")[0].GetString());

        // Not as a network locker either, whoever the recipient is.
        var asLocker = await Net.Shop.PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Louise Bernard", phone = TestNetwork.Phone },
            size = "S",
            destination = new { kind = "locker", lockerId = box.Id },
        });
        Assert.Equal("validation.locker-is-home-box", (await ProblemAsync(asLocker, HttpStatusCode.UnprocessableEntity)).GetProperty("errorCodes").GetProperty("destination.lockerId")[0].GetString());

        // A web store's order for the box goes the same way.
        var store = Server.Client((await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync("/api/shops/me/webstore-key", null))).GetProperty("apiKey").GetString());
        var order = await store.PostJsonAsync("/api/orders", new
        {
            orderId = "WC-77",
            recipient = new { name = "Louise Bernard", phone = "+33611223344" },
            size = "S",
            destination = new { kind = "homeBox", boxId = box.Id },
        });
        Assert.True(order.IsSuccessStatusCode, await order.Content.ReadAsStringAsync());
        var notHers = await store.PostJsonAsync("/api/orders", new
        {
            orderId = "WC-78",
            recipient = new { name = "Marc Petit", phone = "07 98 76 54 32" },
            size = "S",
            destination = new { kind = "homeBox", boxId = box.Id },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notHers.StatusCode);
    }

    [Fact]
    public async Task TheRoundStopsAtTheBoxTheDepositOpensItTheOwnerIsToldWithNoCodeAndOpeningTheirBoxCollectsIt()
    {
        var box = await PairedAsync();
        await using var board = await SimulatedBoard.ConnectAsync(Server, box.Id);
        var registered = await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync("/api/parcels", ForBox(box.Id, TestNetwork.Phone)));
        var (parcel, tracking) = (registered.GetProperty("parcelId").GetString()!, registered.GetProperty("trackingId").GetString()!);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);

        var plan = await PlanAsync();

        Assert.Equal(1, plan.GetProperty("parcelsPlanned").GetInt32());
        var stops = Stops(await RoundAsync(Net.Courier)).ToList();
        var atBox = Assert.Single(stops, s => s.GetProperty("place").GetProperty("id").GetString() == box.Id);
        Assert.Equal("delivery", atBox.GetProperty("kind").GetString());
        Assert.Equal([parcel], ParcelIds(atBox));
        await CompleteAsync(Net.Courier, Id(stops[0]));
        var done = await CompleteAsync(Net.Courier, Id(atBox));
        Assert.Equal(1, done.GetProperty("results")[0].GetProperty("compartment").GetInt32());

        // The board opened the box's door for the courier, and was given no code for it.
        await Wait.UntilAsync(() => board.Executed.OfType<CommandBody.OpenForDeposit>().Any(), "the board to open the box for the courier");
        var opened = Assert.Single(board.Executed.OfType<CommandBody.OpenForDeposit>());
        Assert.Equal((1, parcel), (opened.Compartment, opened.ParcelId));
        await board.AllAckedAsync();
        await Server.SettleAsync();
        Assert.Empty(board.Executed.OfType<CommandBody.ProvisionCodes>());

        // The owner is told where the parcel is and from which shop; no pickup code.
        var told = Assert.Single(Server.Sms.Sent, m => m.Text.Contains(tracking, StringComparison.Ordinal));
        Assert.Equal(TestNetwork.Phone, told.To);
        Assert.Contains("Your parcel from Boulangerie is in your box", told.Text, StringComparison.Ordinal);
        Assert.Null(Server.Sms.FindCodeFor(tracking, TestNetwork.Phone));
        Assert.Null(Server.Email.FindCodeFor(tracking, TestNetwork.Phone));
        var waiting = await Net.TrackAsync(tracking);
        Assert.Equal("AwaitingCollection", waiting.GetProperty("status").GetString());

        // The owner opens their box with its own lock and shuts it: the parcel is collected, the box free, no alarm.
        await board.OpenByHandAsync(1);
        await Net.StatusAsync(tracking, "Collected");
        await board.AllAckedAsync();
        await Server.SettleAsync();
        var locker = await Net.LockerAsync(box.Id);
        Assert.Equal("free", locker.GetProperty("compartments")[0].GetProperty("status").GetString());
        Assert.Empty(locker.GetProperty("alarms").EnumerateArray());
        var events = await Server.ParcelEventsAsync(parcel);
        Assert.Contains(events, e => e is Domain.Parcels.ParcelDepositedInHomeBox { Compartment: 1 } d && d.Box.Value == box.Id);
        Assert.Contains(events, e => e is Domain.Parcels.ParcelCollected c && c.Locker!.Value.Value == box.Id);
        Assert.DoesNotContain(events, e => e is Domain.Parcels.ParcelDeposited);
    }

    [Fact]
    public async Task AForcedDoorAtANetworkLockerStillRaisesItsAlarmAndCollectsNothing()
    {
        await using var board = await Net.BoardAsync();
        var deposit = await Net.DepositedAsync();

        await board.OpenByHandAsync(deposit.Compartment);
        await board.AllAckedAsync();
        await Server.SettleAsync();

        Assert.Equal("AwaitingCollection", (await Net.TrackAsync(deposit.TrackingId)).GetProperty("status").GetString());
        Assert.Contains(
            (await Net.LockerAsync()).GetProperty("alarms").EnumerateArray(),
            a => a.GetProperty("kind").GetString() == "ForcedOpen");
    }

    [Fact]
    public async Task TheOwnerReleasesTheBoxWithItsCodeAndPhoneTheirDataIsErasedAndANewResidentCanPairIt()
    {
        var box = await PairedAsync();

        var notOwner = await Net.Customer.PostJsonAsync($"/api/home-boxes/{box.Id}/release", new { pairingCode = box.Code, phone = "07 98 76 54 32" });
        Assert.Equal("homebox.not-owner", (await ProblemAsync(notOwner, HttpStatusCode.Conflict)).GetProperty("code").GetString());

        var released = await Net.Customer.PostJsonAsync($"/api/home-boxes/{box.Id}/release", new { pairingCode = box.Code, phone = OwnerPhone });
        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Net.Customer.PostJsonAsync($"/api/home-boxes/{box.Id}/release", new { pairingCode = box.Code, phone = OwnerPhone })).StatusCode);

        // The former owner's parcels are refused now; what they told about themselves reads as erased.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Net.Shop.PostJsonAsync("/api/parcels", ForBox(box.Id, TestNetwork.Phone))).StatusCode);
        var history = await Server.QueryAsync("select count(*) from es_events where stream_id = $1", r => r.GetInt64(0), $"homebox-{box.Id}");
        Assert.Equal(3, history[0]);
        var streams = Server.Services.GetRequiredService<EventStreams>();
        Assert.IsType<HomeBox.Available>((await streams.LoadAsync(Deciders.HomeBox, $"homebox-{box.Id}", CancellationToken.None)).State);
        var claimed = (await streams.Store.ReadStreamAsync($"homebox-{box.Id}", 1, CancellationToken.None)).Select(streams.Serializer.Deserialize).OfType<HomeBoxClaimed>().Single();
        Assert.Equal((DomainEvents.Erased, null), (claimed.Resident.Name, claimed.Resident.Phone));

        await (await ClaimAsync(box.Id, box.Code, "Marc Petit", "07 98 76 54 32")).OkAsync();
        Assert.Equal(HttpStatusCode.Created, (await Net.Shop.PostJsonAsync("/api/parcels", ForBox(box.Id, "+33 7 98 76 54 32", "Marc Petit"))).StatusCode);
    }

    private async Task<(string Id, string Code)> ProvisionAsync()
    {
        var response = await Server.Operator().PostJsonAsync("/api/home-boxes", new { name = "Boîte de Louise", address = "12 rue des Tanneurs", latitude = 47.4150, longitude = 0.9860 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await TestCore.ReadAsync<JsonElement>(response);
        Assert.StartsWith("lg_locker_", json.GetProperty("apiKey").GetString(), StringComparison.Ordinal);
        return (json.GetProperty("boxId").GetString()!, json.GetProperty("pairingCode").GetString()!);
    }

    private async Task<(string Id, string Code)> PairedAsync()
    {
        var box = await ProvisionAsync();
        await (await ClaimAsync(box.Id, box.Code, "Louise Bernard", OwnerPhone)).OkAsync();
        await Server.SettleAsync();
        return box;
    }

    private Task<HttpResponseMessage> ClaimAsync(string box, string code, string name, string phone) =>
        Net.Customer.PostJsonAsync($"/api/home-boxes/{box}/claim", new
        {
            pairingCode = code,
            name,
            phone,
            address = new { street = "4 rue des Lilas", postalCode = "37000", city = "Tours" },
        });

    private static object ForBox(string box, string phone, string name = "Louise Bernard") => new
    {
        recipient = new { name, phone },
        size = "S",
        destination = new { kind = "homeBox", boxId = box },
    };

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }
}
