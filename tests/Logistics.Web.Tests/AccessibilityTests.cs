using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// Every page, in French and English, on a phone and a desktop, with what it shows once in use (a parcel in the shop's
/// list, one carried by the courier, one waiting in a locker for its recipient), has no violation of WCAG 2.1 AA that
/// axe-core finds.
/// </summary>
public sealed class AccessibilityTests : BrowserTest
{
    private static readonly (string Locale, ViewportSize Size, string Name)[] Variants =
    [
        ("fr-FR", Browser.Phone, "fr-phone"), ("fr-FR", Browser.Desktop, "fr-desktop"),
        ("en-GB", Browser.Phone, "en-phone"), ("en-GB", Browser.Desktop, "en-desktop"),
    ];

    [Fact]
    public async Task EveryPageHasNoWcag21AAViolationInBothLanguagesAtPhoneAndDesktopSizes()
    {
        var net = await TestNetwork.CreateAsync(Server);
        await using var board = await net.BoardAsync();
        var waiting = await net.DepositedAsync();
        // Two shops' parcels for one phone at the locker: their tracking page says the one code opens both.
        await net.DepositedAsync(phone: "+33 6 24 68 13 57");
        var shared = await net.DepositedAsync(phone: "+33 6 24 68 13 57", shop: Server.Client(net.OtherShopKey));
        await net.RegisterForLockerAsync();
        var carried = await net.RegisterForLockerAsync();
        await (await net.Courier.PostJsonAsync($"/api/parcels/{carried.ParcelId}/pickup", null)).OkAsync();
        var homeBox = (await TestCore.ReadAsync<System.Text.Json.JsonElement>(await Server.Operator().PostJsonAsync(
            "/api/home-boxes", new { name = "Boîte Martin", address = "4 rue des Lilas", latitude = 47.415, longitude = 0.986 }))).GetProperty("boxId").GetString();

        var violations = new List<Axe.Violation>();
        foreach (var (locale, size, variant) in Variants)
        {
            async Task<IPage> Open(string path) => await Chromium.OpenAsync(Server.BaseAddress, path, size, locale);
            async Task Scan(IPage page, string name) => violations.AddRange(await Axe.CheckAsync(page, $"{name} {variant}"));

            var home = await Open("/");
            await Expect(home.Locator("nav a").First).Not.ToBeEmptyAsync();
            await Scan(home, "home");

            // The shop: the sign-in form, then the counter with its list, a refused form, a label, a home delivery.
            var shop = await Open("/shop");
            await Expect(shop.Locator("#signin-email")).ToBeVisibleAsync();
            await Scan(shop, "shop-signin");
            await Browser.SignInAsync(shop, net.ShopKey);
            await Expect(shop.Locator($"#parcels tr[data-tracking=\"{waiting.TrackingId}\"]")).ToBeVisibleAsync();
            await Scan(shop, "shop");
            await shop.ClickAsync("#submit");
            await Expect(shop.Locator("[data-error-for=size]")).Not.ToBeEmptyAsync();
            await Scan(shop, "shop-errors");
            await shop.FillAsync("#name", "Camille Martin");
            await shop.FillAsync("#phone", TestNetwork.Phone);
            await shop.ClickAsync("label.choice:has(input[name=size][value=S])");
            await shop.SelectOptionAsync("#locker", net.LockerId);
            await shop.ClickAsync("#submit");
            await Expect(shop.Locator("#label-qr svg")).ToBeVisibleAsync();
            await Scan(shop, "shop-label");
            await shop.ClickAsync("#another");
            await shop.ClickAsync("label.choice:has(input[value=home])");
            await Expect(shop.Locator("#home-map .map-mark.locker")).ToHaveCountAsync(2);
            await Scan(shop, "shop-home");

            var courier = await Open("/courier");
            await Browser.SignInAsync(courier, net.CourierKey);
            await Expect(courier.Locator("#load article")).ToHaveCountAsync(1);
            await Scan(courier, "courier");

            var console = await Open("/operator");
            await Browser.SignInAsync(console, TestCore.OperatorKey);
            // The two lockers and the home box among them; the home box in its own list too.
            await Expect(console.Locator("[data-locker-row]")).ToHaveCountAsync(3);
            await Expect(console.Locator("[data-home-box]")).ToHaveCountAsync(1);
            await Scan(console, "operator");
            await console.ClickAsync($"[data-open=\"{net.LockerId}\"]");
            await Expect(console.Locator("#service-form")).ToBeVisibleAsync();
            await Scan(console, "operator-locker");

            var lookup = await Open("/track");
            await Expect(lookup.Locator("#tracking-input")).ToBeVisibleAsync();
            await Scan(lookup, "track-lookup");
            var track = await Open($"/track/{waiting.TrackingId}#code={waiting.Code}");
            await Expect(track.Locator("#status")).ToHaveAttributeAsync("data-status", "AwaitingCollection");
            await Expect(track.Locator("#code")).ToBeVisibleAsync();
            await Scan(track, "track");
            var sharedTrack = await Open($"/track/{shared.TrackingId}#code={shared.Code}");
            await Expect(sharedTrack.Locator("#code-opens")).ToHaveAttributeAsync("data-doors", "2");
            await Scan(sharedTrack, "track-shared-code");

            // The resident's home box page, empty and refused.
            var box = await Open($"/homebox/{homeBox}");
            await Expect(box.Locator("#box-id")).ToHaveTextAsync(homeBox!);
            await Scan(box, "homebox");
            await box.ClickAsync("#pair");
            await Expect(box.Locator("[data-error-for=pairingCode]").First).Not.ToBeEmptyAsync();
            await Scan(box, "homebox-errors");

            foreach (var page in new[] { home, shop, courier, console, lookup, track, sharedTrack, box })
            {
                await page.Context.CloseAsync();
            }
        }

        Assert.True(violations.Count == 0, Axe.Report(violations));
        Assert.True(Chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, Chromium.PageErrors));
    }
}
