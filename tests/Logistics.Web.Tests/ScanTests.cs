using System.Text.RegularExpressions;
using Logistics.Api.Labels;
using Logistics.Testing;
using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// The courier scans labels instead of typing hex: the phone's camera (Chromium's fake camera, fed the QR image the
/// printed label carries) reads the tracking number, the page selects the parcel in the round and offers its action;
/// in a cellar without signal the next action waits in the page, listed by tracking number, and goes out when the
/// connection is back. The round reads as tracking numbers, shops and first names, never as internal ids.
/// </summary>
public sealed partial class ScanTests : IAsyncLifetime
{
    private TestCore _server = null!;
    private readonly string _video = Path.Combine(Path.GetTempPath(), $"label-{Guid.NewGuid():N}.y4m");

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(20_000);
        _server = await TestCore.StartAsync(realClock: true, backgroundWork: true);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_video);
    }

    [Fact]
    public async Task TheCourierScansALabelPicksTheParcelUpAndDepositsItOfflineByItsTrackingNumber()
    {
        var shop = await _server.RegisterAsync("/api/shops", new { name = "Boulangerie Ducs", address = "1 rue Nationale", latitude = 47.4130, longitude = 0.9833 });
        var compartments = Enumerable.Range(1, 4).Select(n => new { number = n, size = "S", lowHeight = false });
        var locker = await _server.RegisterAsync("/api/lockers", new { name = "Consigne Mairie", address = "Place de la Mairie", latitude = 47.4124, longitude = 0.9835, compartments });
        var courier = await _server.RegisterAsync("/api/couriers", new { name = "Camille", vehicle = "CargoBike", capacityUnits = 24 });
        await using var board = await SimulatedBoard.ConnectAsync(_server, locker.Id);
        var registered = await (await _server.Client(shop.Key).PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Louise Bernard", phone = "+33 6 12 34 56 78" },
            size = "S",
            destination = new { kind = "locker", lockerId = locker.Id },
        })).JsonAsync();
        var trackingId = registered.GetProperty("trackingId").GetString()!;
        await (await _server.Client(courier.Key).PostJsonAsync("/api/couriers/me/shift/start", new { latitude = 47.4130, longitude = 0.9833 })).OkAsync();
        await _server.SettleAsync();
        var plan = await (await _server.Operator().PostJsonAsync("/api/planning/run", null)).JsonAsync();
        Assert.Equal(1, plan.GetProperty("parcelsPlanned").GetInt32());
        await _server.SettleAsync();

        // The phone's camera looks at the label's QR code: the very image the printed label carries.
        FakeCamera.WriteY4m(PdfLabel.QrImage(trackingId), _video);
        await using var chromium = await Browser.LaunchAsync("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", $"--use-file-for-fake-video-capture={_video}");
        var page = await chromium.OpenAsync(_server.BaseAddress, "/courier", Browser.Phone);
        await page.Context.GrantPermissionsAsync(["camera"]);
        await Browser.SignInAsync(page, courier.Key);

        // The round reads as tracking numbers, shops and first names: no internal id anywhere on the page.
        await Expect(page.Locator("#current-stop")).ToContainTextAsync(trackingId);
        await Expect(page.Locator("#current-stop")).ToContainTextAsync("Boulangerie Ducs");
        await Expect(page.Locator("#current-stop")).ToContainTextAsync("Louise");
        await Expect(page.Locator("#stops")).ToContainTextAsync(trackingId);
        Assert.DoesNotMatch(Hex(), await page.Locator("body").InnerTextAsync());
        Assert.DoesNotContain("Bernard", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);

        // Scan: the page reads the code, selects the parcel in the round and offers its pickup.
        // Decoding the camera's frames is the page's own work (ZXing in JavaScript where Chromium has no
        // BarcodeDetector) and slows down with the machine: the page keeps trying for a minute, the test waits 45 s.
        await page.ClickAsync("#scan");
        var scanned = page.Locator("#scanned");
        await Expect(scanned).ToBeVisibleAsync(new() { Timeout = 45_000 });
        await Expect(page.Locator("#parcel-id")).ToHaveValueAsync(trackingId);
        await Expect(page.Locator($"#current-stop li[data-tracking=\"{trackingId}\"]")).ToHaveClassAsync(new Regex("selected"));
        await Expect(page.Locator("#scan-video")).ToBeHiddenAsync();
        var reader = await page.EvaluateAsync<string>("() => 'BarcodeDetector' in window ? 'detector' : window.ZXingBrowser ? 'zxing' : 'none'");
        Assert.NotEqual("none", reader);
        await Browser.ScreenshotAsync(page, "courier-scanned");
        await scanned.Locator("[data-scan-do=pickup]").ClickAsync();
        await Expect(scanned).ToBeHiddenAsync();
        var carried = page.Locator($"#load article[data-tracking=\"{trackingId}\"]");
        await Expect(carried).ToContainTextAsync("Boulangerie Ducs");
        await Expect(carried).ToContainTextAsync("Consigne Mairie");

        // A label the round does not hold gets an error line next to the field.
        await page.FillAsync("#parcel-id", "LG-0000-0000");
        await page.ClickAsync("#pickup-go");
        await Expect(page.Locator("#pickup-error")).ToContainTextAsync("LG-0000-0000");
        await Expect(page.Locator("#parcel-id")).ToHaveAttributeAsync("aria-invalid", "true");

        // In the cellar, no signal: typing the number selects the parcel's deposit, which waits in the page, shown as queued.
        await page.Context.SetOfflineAsync(true);
        await page.FillAsync("#parcel-id", trackingId.ToLowerInvariant());
        await page.ClickAsync("#pickup-go");
        await scanned.Locator("[data-scan-do=deposit]").ClickAsync();
        await Expect(page.Locator("#pending")).ToContainTextAsync(trackingId);
        await Expect(carried.Locator(".queued-mark")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "courier-queued");
        await page.Context.SetOfflineAsync(false);
        await page.EvaluateAsync("() => window.dispatchEvent(new Event('online'))");
        await Expect(page.Locator("#message")).ToContainTextAsync("Consigne Mairie");
        await Expect(page.Locator("#pending")).ToBeEmptyAsync();
        // The shop's list is a read model: it shows the deposit once its projection has caught up.
        var status = "";
        await Wait.UntilAsync(
            async () => (status = (await (await _server.Client(shop.Key).GetAsync("/api/parcels")).JsonAsync())[0].GetProperty("status").GetString()) == "AwaitingCollection",
            () => $"the shop's list to show the parcel awaiting collection (it shows {status})");
        Assert.DoesNotMatch(Hex(), await page.Locator("body").InnerTextAsync());
        Assert.True(chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, chromium.PageErrors));
    }

    // An internal id: 32 hex digits.
    [GeneratedRegex("[0-9a-f]{32}", RegexOptions.IgnoreCase)]
    private static partial Regex Hex();
}
