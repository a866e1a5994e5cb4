using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// Names are what people type: a shop, a locker, a courier or a recipient named with markup must show as that text
/// on every page, and nothing in it may run or load.
/// </summary>
public sealed class EscapingTests : IAsyncLifetime
{
    private const string Hostile = "<img src=x onerror=\"window.__pwned=1\">\"'<script>window.__pwned=2</script>";

    private TestCore _server = null!;
    private Browser _browser = null!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(20_000);
        _server = await TestCore.StartAsync(realClock: true, backgroundWork: true);
        _browser = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task NamesWithMarkupShowAsTextOnEveryPageAndRunNothing()
    {
        var shop = await _server.RegisterAsync("/api/shops", new { name = "Boulangerie " + Hostile, address = "1 rue " + Hostile, latitude = 47.4130, longitude = 0.9833 });
        var compartments = Enumerable.Range(1, 3).Select(n => new { number = n, size = "S", lowHeight = false });
        var locker = await _server.RegisterAsync("/api/lockers", new { name = "Consigne " + Hostile, address = "Place " + Hostile, latitude = 47.4124, longitude = 0.9835, compartments });
        var courier = await _server.RegisterAsync("/api/couriers", new { name = "Camille " + Hostile, vehicle = "CargoBike", capacityUnits = 24 });
        var shopClient = _server.Client(shop.Key);
        var registered = await TestCore.ReadAsync<System.Text.Json.JsonElement>(await shopClient.PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Jeanne " + Hostile, phone = "+33 6 12 34 56 78" },
            size = "S",
            destination = new { kind = "locker", lockerId = locker.Id },
        }));
        var tracking = registered.GetProperty("trackingId").GetString()!;
        var courierClient = _server.Client(courier.Key);
        await (await courierClient.PostJsonAsync("/api/couriers/me/shift/start", new { latitude = 47.4130, longitude = 0.9833 })).OkAsync();
        await _server.SettleAsync();
        await (await _server.Operator().PostJsonAsync("/api/planning/run", null)).OkAsync();
        await _server.SettleAsync();

        var pages = new (string Path, string? Key, string Shows)[]
        {
            ("/operator", TestCore.OperatorKey, "Consigne " + Hostile),
            ("/shop", shop.Key, "Jeanne " + Hostile),
            ("/courier", courier.Key, "Boulangerie " + Hostile),
            ($"/track/{tracking}", null, "Consigne " + Hostile),
        };
        foreach (var (path, key, shows) in pages)
        {
            var page = await _browser.OpenAsync(_server.BaseAddress, path, Browser.Desktop);
            if (key is not null)
            {
                await Browser.SignInAsync(page, key);
            }

            await Expect(page.Locator("body")).ToContainTextAsync(shows);
            Assert.Equal(0, await page.Locator("img[src='x'], main script, #app script").CountAsync());
            Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
            await Browser.ScreenshotAsync(page, "escaping" + path.Split('/')[1]);
        }
    }

    [Fact]
    public async Task EveryPageCarriesItsSecurityHeaders()
    {
        using var http = _server.Client();
        foreach (var path in new[] { "/", "/track", "/track/LG-0000-0000", "/shop", "/courier", "/operator", "/js/track.js", "/api/track/LG-0000-0000" })
        {
            using var response = await http.GetAsync(path);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp.Split("script-src")[1].Split(';')[0], StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }
}
