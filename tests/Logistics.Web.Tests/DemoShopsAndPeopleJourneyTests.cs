using System.Text;
using System.Text.Json;
using Logistics.Api.Labels;
using Logistics.Demo;
using Logistics.Testing;
using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// Issue 16's whole journey on the demo network (its boards on their WebSocket), as the people make it: a shopkeeper
/// signs in with a password, imports a CSV of parcels, downloads a label (a PDF with the tracking number and a QR code
/// that decodes to it) and connects the shop's web store, whose order arrives through the intake endpoint while the
/// shop's system receives signed webhooks that verify; the courier's page scans the label with the phone's camera for
/// the pickup and the deposit; the customer collects two shops' parcels with one code typed on the locker's keypad;
/// a home box receives a parcel and its owner takes it out; a home delivery carries its signed proof, which the shop
/// sees. Every page visited is checked by axe and photographed.
/// </summary>
public sealed class DemoShopsAndPeopleJourneyTests : IAsyncLifetime
{
    private const string Phone = "+33 6 31 41 59 26";
    private const string LockerId = "locker-01";

    private readonly string _video = Path.Combine(Path.GetTempPath(), $"journey-label-{Guid.NewGuid():N}.y4m");
    private DemoServer _demo = null!;
    private Browser _chromium = null!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(20_000);
        _demo = await DemoServer.StartAsync();
        // One browser for everyone, its fake camera looking at the label's QR code (the file is written once the
        // label exists; Chromium opens it when the courier's page starts the camera).
        _chromium = await Browser.LaunchAsync("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", $"--use-file-for-fake-video-capture={_video}");
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _demo.DisposeAsync();
        File.Delete(_video);
    }

    [Fact]
    public async Task AShopkeeperSignsInImportsAndLabelsParcelsTheCourierScansThemAndCustomersCollectWithOneCode()
    {
        var keys = _demo.Network.Keys;
        var people = keys.People ?? throw new InvalidOperationException("the demo creates people's accounts");
        var shopkeeper = people.First(p => p.Role == "shop");
        var shopKey = keys.Shops.Single(s => s.Id == shopkeeper.Id).ApiKey;
        var otherShop = keys.Shops.First(s => s.Id != shopkeeper.Id);

        // The shopkeeper signs in with e-mail and password: no key typed, nothing kept in localStorage.
        var counter = await _chromium.OpenAsync(_demo.BaseAddress, "/shop", Browser.Desktop);
        await Browser.SignInAsync(counter, shopkeeper.Email, shopkeeper.Password);
        await Expect(counter.Locator("#app")).ToBeVisibleAsync();
        Assert.Equal(0, await counter.EvaluateAsync<int>("localStorage.length"));
        await CheckedAsync(counter, "journey-shop-signed-in");

        // The shop connects its web store: a key for the store, an endpoint for its system's webhooks.
        await using var inbox = await WebhookInbox.StartAsync();
        await counter.ClickAsync("#webstore-key");
        var storeKey = (await counter.Locator("#webstore-key-shown code").TextContentAsync())!;
        await counter.FillAsync("#webhook-url", inbox.Url);
        await counter.ClickAsync("#webhook-add-send");
        inbox.Secret = (await counter.Locator("#webhook-secret code").TextContentAsync())!;

        // A CSV of the day's parcels, imported at the counter: one line for the customer at the town hall's locker.
        var before = await TrackingIdsAsync(shopKey);
        var csv = $"reference;name;phone;size;destination;locker\nCMD-501;Camille Martin;{Phone};S;locker;{LockerId}\n";
        await counter.SetInputFilesAsync("#import-file", new FilePayload { Name = "colis.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await counter.ClickAsync("#import-send");
        await Expect(counter.Locator("#import-message")).ToHaveTextAsync("1 colis enregistrés, 0 lignes refusées.");
        var imported = Assert.Single((await TrackingIdsAsync(shopKey)).Except(before));
        await Expect(counter.Locator($"#parcels tr[data-tracking=\"{imported}\"]")).ToBeVisibleAsync();
        await CheckedAsync(counter, "journey-shop-imported");

        // Its label, downloaded from the counter: an A6 PDF with the tracking number and a QR code that decodes to it.
        var download = await counter.RunAndWaitForDownloadAsync(() =>
            counter.Locator($"#parcels [data-label=pdf][data-label-tracking=\"{imported}\"]").ClickAsync());
        var label = LabelPdf.Read(await File.ReadAllBytesAsync(await download.PathAsync()));
        Assert.Equal(1, label.Pages);
        Assert.Contains(imported, label.Text, StringComparison.Ordinal);
        Assert.Equal([imported], label.Codes);

        // The web store sends an order through the intake endpoint; the shop's system hears of it, signed.
        using (var store = _demo.Client(storeKey))
        {
            var order = await TestCore.ReadAsync<JsonElement>(await store.PostJsonAsync("/api/orders", new
            {
                orderId = "WEB-1042",
                recipient = new { name = "Hugo Lefèvre", phone = "+33 6 27 18 28 18" },
                size = "S",
                destination = new { kind = "locker", lockerId = LockerId },
            }));
            Assert.Equal("WEB-1042", order.GetProperty("orderId").GetString());
        }

        await Wait.UntilAsync(() => inbox.Received.Any(w => w.Type == "parcel.awaiting-pickup" && Reference(w.Data) == "WEB-1042"), "the shop's system to receive the order's signed webhook");
        await Expect(counter.Locator("#webhook-deliveries tr.webhook-delivery[data-state=delivered]").First).ToBeVisibleAsync();
        await CheckedAsync(counter, "journey-shop-webhooks");

        // The operator plans: the imported parcel joins a courier's round, for the locker.
        await (await _demo.Client(DemoServer.OperatorKey).PostJsonAsync("/api/planning/run", null)).OkAsync();
        var (courierId, _, compartment) = await _demo.PlannedForAsync(imported);
        var courierPerson = people.Single(p => p.Role == "courier" && p.Id == courierId);
        var courierKey = keys.Couriers.Single(c => c.Id == courierId).ApiKey;

        // The courier's phone camera reads the label's QR code: pickup at the shop, then deposit at the locker.
        FakeCamera.WriteY4m(PdfLabel.QrImage(imported), _video);
        var courier = await _chromium.OpenAsync(_demo.BaseAddress, "/courier", Browser.Phone);
        await courier.Context.GrantPermissionsAsync(["camera"]);
        await Browser.SignInAsync(courier, courierPerson.Email, courierPerson.Password);
        await Expect(courier.Locator("#stops")).ToContainTextAsync(imported);
        await CheckedAsync(courier, "journey-courier-round");
        await ScanAndDoAsync(courier, imported, "pickup");
        await Expect(courier.Locator($"#load article[data-tracking=\"{imported}\"]")).ToBeVisibleAsync();

        var locker = await _chromium.OpenAsync(_demo.BaseAddress, DemoLockers.PagePath(LockerId), Browser.Desktop, "en-GB");
        await Expect(locker.Locator("#link-status")).ToHaveAttributeAsync("data-state", "online");
        await ScanAndDoAsync(courier, imported, "deposit");
        await CloseAfterDepositAsync(locker, compartment);
        await Expect(locker.Locator($"#door-{compartment}")).ToHaveAttributeAsync("data-parcel", "true");
        await Expect(counter.Locator($"tr[data-tracking=\"{imported}\"] [data-status]")).ToHaveAttributeAsync("data-status", "AwaitingCollection");

        // A second shop's parcel for the same customer, at the same locker: one code now opens both compartments.
        var (second, secondCompartment) = await _demo.DepositedAsync(otherShop.ApiKey, courierKey, new
        {
            recipient = new { name = "Camille Martin", phone = Phone },
            size = "S",
            destination = new { kind = "locker", lockerId = LockerId },
        });
        await CloseAfterDepositAsync(locker, secondCompartment);
        var tracking = await _chromium.OpenAsync(_demo.BaseAddress, $"/track/{imported}", Browser.Phone, "en-GB");
        await Expect(tracking.Locator("#code-opens")).ToHaveAttributeAsync("data-doors", "2");
        await CheckedAsync(tracking, "journey-track-one-code");

        foreach (var digit in await _demo.CodeSentAsync(second, Phone))
        {
            await locker.ClickAsync($"#keypad button[data-key=\"{digit}\"]");
        }

        await locker.ClickAsync("#code-submit");
        await Expect(locker.Locator("#code-message")).ToHaveAttributeAsync("data-outcome", "accepted");
        foreach (var door in new[] { compartment, secondCompartment })
        {
            await Expect(locker.Locator($"#door-{door}")).ToHaveAttributeAsync("data-state", "open");
            await locker.ClickAsync($"#door-{door}-close");
            await Expect(locker.Locator($"#door-{door}")).ToHaveAttributeAsync("data-parcel", "false");
        }

        await CheckedAsync(locker, "journey-locker-one-code");
        await Expect(tracking.Locator("#status")).ToHaveAttributeAsync("data-status", "Collected", new() { Timeout = 30_000 });
        await Expect(counter.Locator($"tr[data-tracking=\"{imported}\"] [data-status]")).ToHaveAttributeAsync("data-status", "Collected");

        // The home box: the parcel the cheese shop sent its owner (the morning's round reserved the box for it) goes
        // in, and the owner opens the box with its own lock.
        var forTheBox = (await _demo.GetAsync("/api/parcels", DemoServer.OperatorKey)).EnumerateArray()
            .Single(p => p.GetProperty("destinationKind").GetString() == "homeBox" && p.GetProperty("status").GetString() == "AwaitingPickup");
        var boxed = forTheBox.GetProperty("trackingId").GetString()!;
        var boxDoor = await _demo.PickedUpAndDepositedAsync(courierKey, forTheBox.GetProperty("parcelId").GetString()!);
        var box = await _chromium.OpenAsync(_demo.BaseAddress, DemoLockers.PagePath(DemoSeeder.HomeBoxId.Value), Browser.Desktop, "en-GB");
        await CloseAfterDepositAsync(box, boxDoor);
        var boxTracking = await _chromium.OpenAsync(_demo.BaseAddress, $"/track/{boxed}", Browser.Phone, "en-GB");
        await Expect(boxTracking.Locator("#status")).ToHaveAttributeAsync("data-status", "AwaitingCollection");
        await box.ClickAsync($"#door-{boxDoor}-force");
        await box.ClickAsync($"#door-{boxDoor}-close");
        await Expect(boxTracking.Locator("#status")).ToHaveAttributeAsync("data-status", "Collected", new() { Timeout = 30_000 });
        await CheckedAsync(boxTracking, "journey-track-home-box");

        // A home delivery: the courier's page takes the name and a signature drawn on the screen.
        var from = DateTimeOffset.UtcNow.AddMinutes(10);
        var home = await TestCore.ReadAsync<JsonElement>(await _demo.Client(shopKey).PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Jeanne Petit", phone = "+33 6 14 14 21 35", address = new { street = "9 quai du Château", postalCode = "37400", city = "Amboise", latitude = 47.414, longitude = 0.981 } },
            size = "S",
            destination = new { kind = "home", from, to = from.AddHours(4) },
        }));
        var homeTracking = home.GetProperty("trackingId").GetString()!;
        await (await _demo.Client(courierKey).PostJsonAsync($"/api/parcels/{home.GetProperty("parcelId").GetString()}/pickup", null)).OkAsync();
        await courier.ReloadAsync();
        var carried = courier.Locator($"#load article[data-tracking=\"{homeTracking}\"]");
        await carried.Locator("[data-do=deliver]").ClickAsync();
        await courier.FillAsync("#proof-name", "Jeanne Petit");
        await Browser.SignAsync(courier);
        await CheckedAsync(courier, "journey-courier-proof");
        await courier.ClickAsync("#proof-send");
        await Expect(courier.Locator("#proof-dialog")).ToBeHiddenAsync();
        await Expect(carried).ToHaveCountAsync(0);

        // The shop sees the delivery and its proof in the parcel's history.
        await Expect(counter.Locator($"tr[data-tracking=\"{homeTracking}\"] [data-status]")).ToHaveAttributeAsync("data-status", "Delivered");
        await counter.Locator($"tr[data-tracking=\"{homeTracking}\"] [data-history]").ClickAsync();
        await Expect(counter.Locator("#history")).ToContainTextAsync("Jeanne Petit");
        await Expect(counter.Locator("#history img.proof-signature")).ToBeVisibleAsync();
        await CheckedAsync(counter, "journey-shop-proof");

        // What the shop's system heard: only webhooks whose signature verified, one per change, with the parcels' steps.
        await Wait.UntilAsync(() => inbox.Received.Any(w => w.Type == "parcel.delivered"), "the shop's system to hear of the home delivery");
        var heard = inbox.Received.Select(w => w.Type).ToList();
        Assert.Contains("parcel.collected", heard);
        Assert.Contains("parcel.awaiting-collection", heard);
        Assert.Equal(inbox.Received.Count, inbox.Received.Select(w => w.Id).Distinct().Count());
        Assert.True(_chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, _chromium.PageErrors));
    }

    /// <summary>The courier presses "scan", the camera reads the label, the page offers the action, the courier confirms.</summary>
    private static async Task ScanAndDoAsync(IPage courier, string trackingId, string action)
    {
        await courier.ClickAsync("#scan");
        var scanned = courier.Locator("#scanned");
        await Expect(courier.Locator("#parcel-id")).ToHaveValueAsync(trackingId);
        await scanned.Locator($"[data-scan-do={action}]").ClickAsync();
        await Expect(scanned).ToBeHiddenAsync();
        await Expect(courier.Locator("#pending")).ToBeEmptyAsync();
    }

    /// <summary>The board opened the compartment for the deposit; the courier puts the parcel in and closes it.</summary>
    private static async Task CloseAfterDepositAsync(IPage board, int compartment)
    {
        var door = board.Locator($"#door-{compartment}");
        await Expect(door).ToHaveAttributeAsync("data-state", "open");
        await board.ClickAsync($"#door-{compartment}-close");
        await Expect(door).ToHaveAttributeAsync("data-state", "closed");
    }

    /// <summary>axe finds nothing on the page as it stands; then its screenshot.</summary>
    private static async Task CheckedAsync(IPage page, string name)
    {
        var violations = await Axe.CheckAsync(page, name);
        Assert.True(violations.Count == 0, Axe.Report([.. violations]));
        await Browser.ScreenshotAsync(page, name);
    }

    private async Task<HashSet<string>> TrackingIdsAsync(string shopKey) =>
        [.. (await _demo.GetAsync("/api/parcels", shopKey)).EnumerateArray().Select(p => p.GetProperty("trackingId").GetString()!)];

    private static string? Reference(JsonElement data) =>
        data.TryGetProperty("reference", out var reference) ? reference.GetString() : null;
}
