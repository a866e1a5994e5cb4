using System.Globalization;
using System.Text.RegularExpressions;
using Logistics.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// The journey a person can make from the README's run command, in a real browser: the demo network with its
/// lockers as simulated boards on their WebSocket. A shop registers a parcel at its counter; the operator plans;
/// the courier's round shows it and the courier follows the round, the locker's door opening through its board for
/// the deposit; the customer's page (reached by the message's link) shows the code; the customer types it on the
/// locker's own keypad; the console, never reloaded, follows the locker's fill and opens a door remotely.
/// </summary>
public sealed partial class DemoJourneyTests : DemoBrowserTest
{
    private const string Phone = "+33 6 11 22 33 44";
    private const string LockerId = "locker-01";

    [Fact]
    public async Task AParcelGoesFromTheCounterThroughAPlannedRoundAndTheLockersKeypadToItsCustomer()
    {
        var keys = Demo.Network.Keys;
        Assert.True(Demo.Network.Plan!.Rounds >= 1, "the demo plans the morning's rounds when it seeds");

        // The operator's console stays open from start to end.
        var console = await Chromium.OpenAsync(Demo.BaseAddress, "/operator", Browser.Desktop, "en-GB");
        await Browser.SignInAsync(console, DemoServer.OperatorKey);
        var fill = console.Locator($"[data-locker-row=\"{LockerId}\"] .fill-value");
        await ConsoleShowsFillAsync(fill);
        await console.EvaluateAsync("() => { window.stillTheSamePage = true; }");

        // The baker registers a parcel for the town hall's locker from a phone, in French.
        var shop = keys.Shops.Single(s => s.Id == "shop-01");
        var counter = await Chromium.OpenAsync(Demo.BaseAddress, "/shop", Browser.Phone);
        await Browser.SignInAsync(counter, shop.ApiKey);
        await counter.FillAsync("#name", "Camille Martin");
        await counter.FillAsync("#phone", Phone);
        await counter.ClickAsync("label.choice:has(input[name=size][value=S])");
        await counter.SelectOptionAsync("#locker", LockerId);
        await counter.ClickAsync("#submit");
        await Expect(counter.Locator("#label-qr svg")).ToBeVisibleAsync();
        var trackingId = (await counter.Locator("#label-tracking").InnerTextAsync()).Trim();

        // The operator plans now: the parcel joins a courier's round and a compartment is reserved for it.
        await console.ClickAsync("#plan-now");
        await Expect(console.Locator("#plan-message")).Not.ToBeEmptyAsync();
        var (courierId, place, compartment) = await Demo.PlannedForAsync(trackingId);
        Assert.Equal(LockerId, place);
        await Expect(console.Locator("#rounds")).ToContainTextAsync(keys.Couriers.Single(c => c.Id == courierId).Name);
        await ConsoleShowsFillAsync(fill);
        await Browser.ScreenshotAsync(console, "demo-operator-planned");

        // The courier's page shows the round with the parcel, next stop first, on a map.
        var courier = await Chromium.OpenAsync(Demo.BaseAddress, "/courier", Browser.Phone);
        await Browser.SignInAsync(courier, keys.Couriers.Single(c => c.Id == courierId).ApiKey);
        await Expect(courier.Locator("#stops")).ToContainTextAsync(trackingId);
        await Expect(courier.Locator("#current-stop")).ToBeVisibleAsync();
        await Expect(courier.Locator("#round-map .map-mark.stop").First).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(courier, "demo-courier-round");

        // The courier follows the round stop by stop until the parcel is in its compartment.
        var locker = await Chromium.OpenAsync(Demo.BaseAddress, $"/demo/lockers/{LockerId}", Browser.Desktop, "en-GB");
        await Expect(locker.Locator("#link-status")).ToHaveAttributeAsync("data-state", "online");
        for (var stops = 0; ; stops++)
        {
            Assert.True(stops < 40, "the round should reach the parcel's locker");
            var current = courier.Locator("#current-stop");
            await Expect(current).ToBeVisibleAsync();
            var stopId = await current.GetAttributeAsync("data-stop");
            var ours = await current.Locator($"li[data-tracking=\"{trackingId}\"][data-action=\"deposit\"]").CountAsync() > 0;
            if (ours)
            {
                await Expect(current).ToContainTextAsync("Consigne Mairie");
                await Browser.ScreenshotAsync(courier, "demo-courier-locker-stop");
            }

            await courier.ClickAsync("#stop-done");
            await Expect(courier.Locator($"#current-stop[data-stop=\"{stopId}\"]")).ToHaveCountAsync(0);
            if (ours)
            {
                // The page says which compartment takes the parcel, and to close the doors after.
                await Expect(courier.Locator("#message")).ToContainTextAsync($"{trackingId} : casier {compartment}");
                await Expect(courier.Locator("#message")).ToContainTextAsync("refermez chaque porte");
                break;
            }
        }

        // The board opened the door for the deposit (the core's signed command over the WebSocket); the courier
        // puts the parcel in and closes it.
        var door = locker.Locator($"#door-{compartment}");
        await Expect(door).ToHaveAttributeAsync("data-state", "open");
        await Expect(door).ToHaveAttributeAsync("data-parcel", "true");
        await locker.ClickAsync($"#door-{compartment}-close");
        await Expect(door).ToHaveAttributeAsync("data-state", "closed");
        await Expect(counter.Locator($"tr[data-tracking=\"{trackingId}\"] [data-status]")).ToHaveAttributeAsync("data-status", "AwaitingCollection");

        // The customer follows the message's link: the page shows the code, its QR, the locker and compartment.
        var link = await LinkAsync(trackingId);
        var tracking = await Chromium.OpenAsync(Demo.BaseAddress, link, Browser.Phone);
        await Expect(tracking.Locator("#status")).ToHaveAttributeAsync("data-status", "AwaitingCollection");
        await Expect(tracking.Locator("#compartment")).ToHaveTextAsync(compartment.ToString(CultureInfo.InvariantCulture));
        await Expect(tracking.Locator("#code-display")).ToBeVisibleAsync();
        await Expect(tracking.Locator("#code-qr svg")).ToBeVisibleAsync();
        await Expect(tracking.Locator("#facts")).ToContainTextAsync("Consigne Mairie");
        await Browser.ScreenshotAsync(tracking, "demo-track-code");
        var shown = (await tracking.Locator("#code-display").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        var typed = Demo.Sms.CodeFor(trackingId, Phone)!;
        Assert.StartsWith(shown, typed, StringComparison.Ordinal);
        var fillWithParcel = await ConsoleShowsFillAsync(fill);

        // At the locker, the customer types the code on the keypad: the board checks it and opens the door.
        foreach (var digit in typed)
        {
            await locker.ClickAsync($"#keypad button[data-key=\"{digit}\"]");
        }

        await locker.ClickAsync("#code-submit");
        await Expect(locker.Locator("#code-message")).ToHaveAttributeAsync("data-outcome", "accepted");
        await Expect(door).ToHaveAttributeAsync("data-state", "open");
        await Browser.ScreenshotAsync(locker, "demo-locker-collect");
        await locker.ClickAsync($"#door-{compartment}-close");
        await Expect(door).ToHaveAttributeAsync("data-state", "closed");
        await Expect(door).ToHaveAttributeAsync("data-parcel", "false");

        // The collection reached the core: the customer's page and the console follow without a reload.
        await Expect(tracking.Locator("#status")).ToHaveAttributeAsync("data-status", "Collected");
        await Browser.ScreenshotAsync(tracking, "demo-track-collected");
        var fillAfter = await FillRateAsync();
        for (var attempt = 0; attempt < 200 && fillAfter == fillWithParcel; attempt++)
        {
            await Task.Delay(100);
            fillAfter = await FillRateAsync();
        }

        Assert.True(double.Parse(fillAfter, CultureInfo.InvariantCulture) < double.Parse(fillWithParcel, CultureInfo.InvariantCulture), $"fill {fillWithParcel} → {fillAfter}");
        await Expect(fill).ToHaveAttributeAsync("data-fill", fillAfter);

        // The operator opens that compartment remotely: a reason is required, then the board opens the door.
        await console.ClickAsync($"[data-open=\"{LockerId}\"]");
        await console.SelectOptionAsync("#remote-number", compartment.ToString(CultureInfo.InvariantCulture));
        await console.ClickAsync("#remote-open");
        await Expect(console.Locator("#remote-reason-error")).Not.ToBeEmptyAsync();
        await console.FillAsync("#remote-reason", "Customer left an umbrella inside");
        await console.ClickAsync("#remote-open");
        await Expect(console.Locator("#remote-message")).Not.ToBeEmptyAsync();
        await Expect(door).ToHaveAttributeAsync("data-state", "open");
        var doorInConsole = console.Locator($"tr[data-compartment=\"{compartment}\"] [data-door-open]");
        await Expect(doorInConsole).ToHaveTextAsync("door open");
        await Browser.ScreenshotAsync(console, "demo-operator-remote");
        await locker.ClickAsync($"#door-{compartment}-close");
        await Expect(doorInConsole).ToHaveCountAsync(0);

        Assert.True(await console.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        Assert.True(Chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, Chromium.PageErrors));
    }

    /// <summary>The locker's fill rate as the API answers it, written the way the console's data-fill writes it.</summary>
    private async Task<string> FillRateAsync()
    {
        var locker = await Demo.GetAsync($"/api/lockers/{LockerId}", DemoServer.OperatorKey);
        var rate = (locker.TryGetProperty("locker", out var inner) ? inner : locker).GetProperty("fillRate").GetDouble();
        return rate.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for the console (never reloaded) to show the fill rate the API answers now; returns it.</summary>
    private async Task<string> ConsoleShowsFillAsync(ILocator fill)
    {
        for (var attempt = 0; ; attempt++)
        {
            var rate = await FillRateAsync();
            var shown = await fill.GetAttributeAsync("data-fill");
            if (shown == rate)
            {
                return rate;
            }

            Assert.True(attempt < 200, $"the console shows a fill of {shown}, the API {rate}");
            await Task.Delay(100);
        }
    }

    /// <summary>The tracking link in the message the recipient got (the code rides in its fragment).</summary>
    private async Task<string> LinkAsync(string trackingId)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var text = Demo.Sms.Sent.LastOrDefault(m => m.Text.Contains(trackingId, StringComparison.Ordinal) && m.Text.Contains("#code=", StringComparison.Ordinal))?.Text;
            if (text is not null)
            {
                return TrackingLink().Match(text).Value;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No message with a link was sent for {trackingId}.");
    }

    [GeneratedRegex(@"/track/[A-Z0-9-]+#code=[0-9]+")]
    private static partial Regex TrackingLink();
}
