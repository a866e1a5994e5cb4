using System.Text.Json;
using System.Text.RegularExpressions;
using Logistics.Api.Pages;
using Logistics.Testing;
using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// The pages' maps (Leaflet): the operator's network with its lockers, shops and the courier's round, the courier's
/// stops in order along the round's path, the customer's locker; on a plain background, loading nothing from elsewhere,
/// when no tile server is configured, and with the tiles of the one configured (a loopback server here) otherwise.
/// </summary>
public sealed class MapTests : BrowserTest
{
    [Fact]
    public async Task WithoutATileServerTheMapsDrawTheNetworkTheRoundInStopOrderAndTheLockerOnAPlainBackground()
    {
        var (net, waiting, stops) = await PlannedRoundAsync(Server);
        using (var http = Server.Client())
        {
            using var answer = await http.GetAsync("/operator");
            Assert.Contains("img-src 'self' data:;", answer.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            var settings = await TestCore.ReadAsync<JsonElement>(await http.GetAsync("/api/map"));
            Assert.Equal(JsonValueKind.Null, settings.GetProperty("tiles").ValueKind);
        }

        // The operator: both lockers, both shops and every stop of the round, the path through them in order.
        var console = await Chromium.OpenAsync(Server.BaseAddress, "/operator", Browser.Desktop, "en-GB");
        await Browser.SignInAsync(console, TestCore.OperatorKey);
        await Expect(console.Locator("#map .map-mark.locker")).ToHaveCountAsync(2);
        await Expect(console.Locator("#map .map-mark.shop, #map .map-mark.relay")).ToHaveCountAsync(2);
        await Expect(console.Locator("#map .map-mark.stop")).ToHaveCountAsync(stops.Count);
        await Expect(console.Locator("#map .map-path")).ToHaveCountAsync(1);
        Assert.Equal(await MarkCentresAsync(console, "#map", stops), await PathAsync(console, "#map"), new NearPoint());
        await Expect(console.Locator($"#map [data-id=\"{net.LockerId}\"]")).ToHaveAttributeAsync("aria-label", new Regex(@"^Consigne Mairie: Fill \d+ % \(Offline\)$"));
        await Expect(console.Locator("#map .leaflet-control-zoom-in")).ToHaveAttributeAsync("aria-label", "Zoom in");
        await AssertPlainAsync(console, "#map");
        await Browser.ScreenshotAsync(console, "map-operator");
        // No board is connected in this test: the marks say so (and draw it in red).
        await Expect(console.Locator("#map .map-mark.locker.offline")).ToHaveCountAsync(2);
        // A locker's mark is a button: from the keyboard, Enter opens the locker's detail.
        await console.Locator($"#map [data-id=\"{net.LockerId}\"]").FocusAsync();
        await console.Keyboard.PressAsync("Enter");
        await Expect(console.Locator("#service-form")).ToBeVisibleAsync();

        // The courier: the round's stops, numbered in order along its path, in French.
        var courier = await Chromium.OpenAsync(Server.BaseAddress, "/courier", Browser.Phone);
        await Browser.SignInAsync(courier, net.CourierKey);
        await Expect(courier.Locator("#round-map .map-mark.stop")).ToHaveCountAsync(stops.Count);
        Assert.Equal(stops.Select(s => s.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)), await courier.Locator("#round-map .map-mark.stop").AllInnerTextsAsync());
        Assert.Equal(await MarkCentresAsync(courier, "#round-map", stops), await PathAsync(courier, "#round-map"), new NearPoint());
        await Expect(courier.Locator("#round-map")).ToHaveAttributeAsync("aria-label", $"Carte de la tournée, {stops.Count} arrêts");
        await AssertPlainAsync(courier, "#round-map");
        await Browser.ScreenshotAsync(courier, "map-courier");
        var violations = new List<Axe.Violation>(await Axe.CheckAsync(courier, "courier's round map"));

        // The customer: where to collect the parcel.
        var track = await Chromium.OpenAsync(Server.BaseAddress, $"/track/{waiting.TrackingId}", Browser.Phone);
        var locker = track.Locator("#place-map .map-mark");
        await Expect(locker).ToHaveCountAsync(1);
        await Expect(locker).ToHaveAttributeAsync("aria-label", "Consigne Mairie, Place de la Mairie");
        await Expect(track.Locator("#map-link a")).ToHaveAttributeAsync("href", "geo:47.4124,0.9835");
        await AssertPlainAsync(track, "#place-map");
        await Browser.ScreenshotAsync(track, "map-track");
        violations.AddRange(await Axe.CheckAsync(track, "customer's locker map"));
        Assert.True(violations.Count == 0, Axe.Report(violations));

        Assert.True(Chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, Chromium.PageErrors));
    }

    [Fact]
    public async Task WithATileServerConfiguredTheMapsShowItsTilesWhichThePolicyAllows()
    {
        await using var tiles = await TileServer.StartAsync();
        await using var core = await TestCore.StartAsync(realClock: true, backgroundWork: true,
            configure: o => o with { MapTiles = MapTiles.Parse(tiles.Template, "Tiles of the test") });
        var (net, waiting, stops) = await PlannedRoundAsync(core);
        using (var http = core.Client())
        {
            using var answer = await http.GetAsync("/track");
            Assert.Contains($"img-src 'self' data: {tiles.Origin};", answer.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        var track = await Chromium.OpenAsync(core.BaseAddress, $"/track/{waiting.TrackingId}", Browser.Phone, "en-GB");
        await AssertTilesShownAsync(track, "#place-map");
        await Expect(track.Locator("#place-map .leaflet-control-attribution")).ToContainTextAsync("Tiles of the test");
        await Browser.ScreenshotAsync(track, "map-tiles-track");
        var violations = new List<Axe.Violation>(await Axe.CheckAsync(track, "customer's locker map with tiles"));

        var courier = await Chromium.OpenAsync(core.BaseAddress, "/courier", Browser.Desktop, "en-GB");
        await Browser.SignInAsync(courier, net.CourierKey);
        await Expect(courier.Locator("#round-map .map-mark.stop")).ToHaveCountAsync(stops.Count);
        await AssertTilesShownAsync(courier, "#round-map");
        await Browser.ScreenshotAsync(courier, "map-tiles-courier");
        violations.AddRange(await Axe.CheckAsync(courier, "courier's round map with tiles"));
        Assert.True(violations.Count == 0, Axe.Report(violations));

        // Only tiles were asked for, and the tile server learnt the site, never the page (its path has the tracking number).
        Assert.NotEmpty(tiles.Requests);
        Assert.All(tiles.Requests, r => Assert.Matches(@"^/\d{1,2}/\d+/\d+\.png$", r.Path));
        Assert.All(tiles.Requests, r => Assert.Equal(core.BaseAddress.ToString(), r.Referer));
        // A tile the policy refused would be a console error.
        Assert.True(Chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, Chromium.PageErrors));
    }

    [Fact]
    public async Task TheShopsFormDoesNotMoveUnderTheFingerWhenTheMapArrives()
    {
        // Leaflet arrives late (a slow phone, a busy core): the button the shopkeeper is about to tap stays where it was.
        var net = await TestNetwork.CreateAsync(Server);
        var counter = await Chromium.OpenAsync(Server.BaseAddress, "/shop", Browser.Phone, "en-GB");
        var leafletHeld = await Browser.HoldAsync(counter, "**/vendor/leaflet/leaflet.js");
        await Browser.SignInAsync(counter, net.ShopKey);
        await counter.ClickAsync("label.choice:has(input[value=home])");
        await Expect(counter.Locator("#street")).ToBeVisibleAsync();
        var before = await counter.Locator("#submit").BoundingBoxAsync();

        leafletHeld.SetResult();
        await Expect(counter.Locator("#home-map.leaflet-container .map-mark.locker")).ToHaveCountAsync(2);
        var after = await counter.Locator("#submit").BoundingBoxAsync();
        Assert.NotNull(before);
        Assert.NotNull(after);
        Assert.Equal(before.Y, after.Y, 0.5);
        Assert.True(Chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, Chromium.PageErrors));
    }

    /// <summary>The test network with a parcel waiting in a locker, one for each locker to deliver and Camille on shift, planned: her round's stops.</summary>
    private static async Task<(TestNetwork Net, Deposit Waiting, IReadOnlyList<Stop> Stops)> PlannedRoundAsync(TestCore core)
    {
        var net = await TestNetwork.CreateAsync(core);
        var waiting = await net.DepositedAsync();
        await net.RegisterForLockerAsync();
        await net.RegisterForLockerAsync(net.FarLockerId);
        await (await net.Courier.PostJsonAsync("/api/couriers/me/shift/start", new { latitude = 47.4150, longitude = 0.9800 })).OkAsync();
        await core.SettleAsync();
        await (await core.Operator().PostJsonAsync("/api/planning/run", null)).OkAsync();
        JsonElement round = default;
        await Wait.UntilAsync(async () =>
        {
            using var answer = await net.Courier.GetAsync("/api/couriers/me/round");
            round = answer.IsSuccessStatusCode ? await TestCore.ReadAsync<JsonElement>(answer) : default;
            return answer.IsSuccessStatusCode;
        }, "Camille's round");
        var stops = round.GetProperty("stops").EnumerateArray()
            .Select(s => new Stop(s.GetProperty("stopId").GetString()!, s.GetProperty("sequence").GetInt32()))
            .OrderBy(s => s.Sequence).ToList();
        Assert.True(stops.Count >= 3, $"a pickup at the shop and both lockers: {round}");
        return (net, waiting, stops);
    }

    /// <summary>No tile layer, nothing loaded from anywhere but the site itself.</summary>
    private static async Task AssertPlainAsync(IPage page, string map)
    {
        await Expect(page.Locator($"{map}.leaflet-container.plain")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("img.leaflet-tile").CountAsync());
        var origin = new Uri(page.Url).GetLeftPart(UriPartial.Authority);
        var loaded = await page.EvaluateAsync<string[]>("() => performance.getEntriesByType('resource').map(e => e.name)");
        Assert.All(loaded, url => Assert.StartsWith(origin + "/", url, StringComparison.Ordinal));
    }

    private static async Task AssertTilesShownAsync(IPage page, string map)
    {
        await Expect(page.Locator($"{map}.leaflet-container.with-tiles")).ToBeVisibleAsync();
        var loaded = page.Locator($"{map} img.leaflet-tile.leaflet-tile-loaded");
        await Expect(loaded.First).ToBeVisibleAsync();
        // Decoded images (the test server's 1×1 pixel), each stretched over its 256 px tile.
        var sizes = await loaded.EvaluateAllAsync<int[][]>("tiles => tiles.map(t => [t.naturalWidth, Math.round(t.getBoundingClientRect().width)])");
        Assert.All(sizes, s => Assert.Equal([1, 256], s));
    }

    /// <summary>Where each stop's mark is drawn (its centre, in the viewport's pixels), in the round's order.</summary>
    private static async Task<IReadOnlyList<double[]>> MarkCentresAsync(IPage page, string map, IReadOnlyList<Stop> stops)
    {
        var centres = new List<double[]>();
        foreach (var stop in stops)
        {
            var box = await page.Locator($"{map} [data-id=\"{stop.Id}\"]").BoundingBoxAsync() ?? throw new InvalidOperationException($"stop {stop.Id} is not drawn");
            centres.Add([box.X + (box.Width / 2), box.Y + (box.Height / 2)]);
        }

        return centres;
    }

    /// <summary>The round's path as drawn: the vertices of its SVG line, in the viewport's pixels, in the line's order.</summary>
    private static async Task<IReadOnlyList<double[]>> PathAsync(IPage page, string map) =>
        await page.Locator($"{map} path.map-path").EvaluateAsync<double[][]>(@"path => {
            const numbers = path.getAttribute('d').match(/-?\d+(\.\d+)?/g).map(Number);
            const toPage = path.getScreenCTM();
            const points = [];
            for (let i = 0; i < numbers.length; i += 2) {
                const p = new DOMPoint(numbers[i], numbers[i + 1]).matrixTransform(toPage);
                points.push([p.x, p.y]);
            }
            return points;
        }");

    private sealed record Stop(string Id, int Sequence);

    /// <summary>Two points within 2 px of each other.</summary>
    private sealed class NearPoint : IEqualityComparer<double[]>
    {
        public bool Equals(double[]? a, double[]? b) => a is not null && b is not null && Math.Abs(a[0] - b[0]) <= 2 && Math.Abs(a[1] - b[1]) <= 2;

        public int GetHashCode(double[] point) => 0;
    }
}
