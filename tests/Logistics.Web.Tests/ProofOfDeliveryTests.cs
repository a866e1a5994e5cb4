using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using Microsoft.Playwright;
using QRCoder;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// Issue 16 part 9 in the browser: at a home the courier's page takes a photo (a file input with the phone's camera;
/// here Playwright sets a large picture, which the page shrinks to a JPEG of at most 1280 px and 300 kB) or the name
/// and a signature drawn with the finger (here the mouse); without signal the delivery and its photo wait in the page
/// and go out once when the signal is back; then the shop sees both proofs in the parcels' history.
/// </summary>
public sealed class ProofOfDeliveryTests : IAsyncLifetime
{
    private TestCore _server = null!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(20_000);
        _server = await TestCore.StartAsync(realClock: true, backgroundWork: true);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TheCourierKeepsAPhotoOfflineAndASignatureThenTheShopSeesBothInTheHistory()
    {
        var shop = await _server.RegisterAsync("/api/shops", new { name = "Boulangerie Ducs", address = "1 rue Nationale", latitude = 47.4130, longitude = 0.9833 });
        var courier = await _server.RegisterAsync("/api/couriers", new { name = "Camille", vehicle = "CargoBike", capacityUnits = 24 });
        var photographed = await CarriedHomeParcelAsync(shop.Key, courier.Key, "Louise Bernard");
        var signed = await CarriedHomeParcelAsync(shop.Key, courier.Key, "Jeanne Petit");
        await _server.SettleAsync();

        await using var chromium = await Browser.LaunchAsync();
        var page = await chromium.OpenAsync(_server.BaseAddress, "/courier", Browser.Phone);
        await Browser.SignInAsync(page, courier.Key);

        await Expect(page.Locator($"#load article[data-tracking=\"{signed}\"]")).ToBeVisibleAsync();

        // No signal at the door: the photo is taken, the delivery waits in the page with it (in IndexedDB, not localStorage).
        await page.Context.SetOfflineAsync(true);
        await page.Locator($"#load article[data-tracking=\"{photographed}\"] [data-do=deliver]").ClickAsync();
        await Expect(page.Locator("#proof-dialog")).ToBeVisibleAsync();
        await page.Locator("#proof-photo").SetInputFilesAsync(new FilePayload
        {
            Name = "door.png",
            MimeType = "image/png",
            Buffer = PngByteQRCodeHelper.GetQRCode($"the parcel {photographed} on the doormat", QRCodeGenerator.ECCLevel.H, 40),
        });
        await Expect(page.Locator("#proof-preview")).ToBeVisibleAsync();
        await page.ClickAsync("#proof-send");
        await Expect(page.Locator("#pending")).ToContainTextAsync(photographed);
        var queued = await page.EvaluateAsync<string>("() => localStorage.getItem('lg.courier.queue')");
        Assert.True(queued.Length < 2000, $"the photo is not kept in localStorage ({queued.Length} characters)");

        await page.Context.SetOfflineAsync(false);
        await page.EvaluateAsync("() => window.dispatchEvent(new Event('online'))");
        await Expect(page.Locator("#pending")).ToBeEmptyAsync();
        // A second replay (the page's timer, another 'online') sends nothing more.
        await page.EvaluateAsync("() => window.dispatchEvent(new Event('online'))");

        // Someone opens the door: their name, and a signature drawn on the screen.
        await page.Locator($"#load article[data-tracking=\"{signed}\"] [data-do=deliver]").ClickAsync();
        await page.FillAsync("#proof-name", "Jeanne Petit");
        await Browser.SignAsync(page);
        var violations = await Axe.CheckAsync(page, "courier proof dialog");
        Assert.True(violations.Count == 0, Axe.Report([.. violations]));
        await Browser.ScreenshotAsync(page, "courier-proof");
        await page.ClickAsync("#proof-send");
        await Expect(page.Locator("#proof-dialog")).ToBeHiddenAsync();
        await Expect(page.Locator($"#load article[data-tracking=\"{signed}\"]")).ToHaveCountAsync(0);
        Assert.True(chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, chromium.PageErrors));

        // The shop opens each parcel's history: the photo, shrunk by the courier's page, and the signature with the name.
        await _server.SettleAsync();
        var counter = await chromium.OpenAsync(_server.BaseAddress, "/shop", Browser.Desktop);
        await Browser.SignInAsync(counter, shop.Key);
        await counter.Locator($"tr[data-tracking=\"{photographed}\"] [data-history]").ClickAsync();
        var photo = counter.Locator("#history img.proof-photo");
        await Expect(photo).ToBeVisibleAsync();
        var side = await photo.EvaluateAsync<int>("img => Math.max(img.naturalWidth, img.naturalHeight)");
        Assert.InRange(side, 100, 1280);
        await Expect(counter.Locator("#history")).ToContainTextAsync(photographed);

        await counter.Locator($"tr[data-tracking=\"{signed}\"] [data-history]").ClickAsync();
        await Expect(counter.Locator("#history")).ToContainTextAsync("Jeanne Petit");
        await Expect(counter.Locator("#history img.proof-signature")).ToBeVisibleAsync();
        violations = await Axe.CheckAsync(counter, "shop parcel history with proof");
        Assert.True(violations.Count == 0, Axe.Report([.. violations]));
        await Browser.ScreenshotAsync(counter, "shop-proof-history");

        // What the server kept: one JPEG proof of at most 300 kB for the offline delivery, sent however often it was replayed.
        var operatorClient = _server.Operator();
        var proofs = await (await operatorClient.GetAsync($"/api/parcels/{await ParcelIdAsync(shop.Key, photographed)}/proofs")).JsonAsync();
        Assert.Equal(1, proofs.GetArrayLength());
        var image = await operatorClient.GetAsync(proofs[0].GetProperty("photoUrl").GetString());
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        Assert.InRange((await image.Content.ReadAsByteArrayAsync()).Length, 1, 300 * 1024);
        Assert.True(chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, chromium.PageErrors));
    }

    private async Task<string> CarriedHomeParcelAsync(string shopKey, string courierKey, string name)
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(10);
        var registered = await TestCore.ReadAsync<System.Text.Json.JsonElement>(await _server.Client(shopKey).PostJsonAsync("/api/parcels", new
        {
            recipient = new { name, phone = "+33 6 12 34 56 78", address = new { street = "9 quai du Château", postalCode = "37400", city = "Amboise", latitude = 47.414, longitude = 0.981 } },
            size = "S",
            destination = new { kind = "home", from, to = from.AddHours(3) },
        }));
        await (await _server.Client(courierKey).PostJsonAsync($"/api/parcels/{registered.GetProperty("parcelId").GetString()}/pickup", null)).OkAsync();
        return registered.GetProperty("trackingId").GetString()!;
    }

    private async Task<string> ParcelIdAsync(string shopKey, string trackingId)
    {
        var parcels = await (await _server.Client(shopKey).GetAsync("/api/parcels")).JsonAsync();
        return parcels.EnumerateArray().Single(p => p.GetProperty("trackingId").GetString() == trackingId).GetProperty("parcelId").GetString()!;
    }
}
