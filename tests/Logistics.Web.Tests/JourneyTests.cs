using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// The whole journey in a real browser against the real server: a shop registers a parcel at its counter, the courier
/// picks it up and deposits it, the customer's tracking page asks for the code and opens the compartment, and the
/// operator console, left open all along, follows the locker's fill without a reload.
/// </summary>
public sealed class JourneyTests : BrowserTest
{
    private const string Phone = "+33 6 12 34 56 78";

    [Fact]
    public async Task ShopCourierCustomerAndOperatorCompleteAParcelsJourneyInTheBrowser()
    {
        var shop = await Server.RegisterAsync("/api/shops", new { name = "Boulangerie Ducs", address = "1 rue Nationale", latitude = 47.4130, longitude = 0.9833 });
        await Server.RegisterAsync("/api/shops", new { name = "Librairie Relais", address = "2 rue Nationale", latitude = 47.4120, longitude = 0.9800, relayPoint = true });
        var compartments = Enumerable.Range(1, 4).Select(n => new { number = n, size = "S", lowHeight = false })
            .Append(new { number = 5, size = "M", lowHeight = false }).Append(new { number = 6, size = "L", lowHeight = true });
        var locker = await Server.RegisterAsync("/api/lockers", new { name = "Consigne Mairie", address = "Place de la Mairie", latitude = 47.4124, longitude = 0.9835, compartments });
        await Server.RegisterAsync("/api/lockers", new { name = "Consigne Gare", address = "Gare", latitude = 47.4199, longitude = 0.9832, compartments });
        var courier = await Server.RegisterAsync("/api/couriers", new { name = "Camille", vehicle = "CargoBike", capacityUnits = 24 });
        // The locker's board is on the link: the doors the core asks for open (and are closed again).
        await using var board = await SimulatedBoard.ConnectAsync(Server, locker.Id);

        // The operator opens the console first and keeps it open: every later change must reach it live.
        var console = await Chromium.OpenAsync(Server.BaseAddress, "/operator", Browser.Desktop, "en-GB");
        await Browser.SignInAsync(console, TestCore.OperatorKey);
        var fill = console.Locator($"[data-locker-row=\"{locker.Id}\"] .fill-value");
        await Expect(fill).ToHaveTextAsync("0 %");
        await console.EvaluateAsync("() => { window.stillTheSamePage = true; }");

        // The shop, on a phone, in French: a first try with missing fields keeps what was typed and says what is wrong.
        var counter = await Chromium.OpenAsync(Server.BaseAddress, "/shop", Browser.Phone);
        await Browser.SignInAsync(counter, shop.Key);
        await counter.FillAsync("#name", "Camille Martin");
        await counter.ClickAsync("#submit");
        // Worded in French from the errors' codes (the API answers in English).
        await Expect(counter.Locator("[data-error-for=\"recipient.phone\"]")).ToHaveTextAsync("Donnez un téléphone ou un e-mail : le destinataire y recevra son code de retrait.");
        await Expect(counter.Locator("[data-error-for=\"size\"]")).ToHaveTextAsync("Choisissez une taille : S, M ou L.");
        await Expect(counter.Locator("#name")).ToHaveValueAsync("Camille Martin");
        await Expect(counter.Locator("#phone")).ToHaveAttributeAsync("aria-invalid", "true");
        await Browser.ScreenshotAsync(counter, "shop-errors");

        await counter.FillAsync("#phone", Phone);
        await counter.ClickAsync("label.choice:has(input[name=size][value=S])");
        await counter.SelectOptionAsync("#locker", locker.Id);
        await counter.ClickAsync("#submit");
        var trackingId = (await counter.Locator("#label-tracking").InnerTextAsync()).Trim();
        Assert.Matches("^LG-", trackingId);
        await Expect(counter.Locator("#label-qr svg")).ToBeVisibleAsync();
        await Expect(counter.Locator($"tr[data-tracking=\"{trackingId}\"] [data-status]")).ToHaveAttributeAsync("data-status", "AwaitingPickup");
        await Browser.ScreenshotAsync(counter, "shop-label");

        // The printable PDF label, fetched with the shop's key (a plain link would not carry it) and saved under the tracking number.
        var download = await counter.RunAndWaitForDownloadAsync(() => counter.ClickAsync($"tr[data-tracking=\"{trackingId}\"] [data-label=pdf]"));
        Assert.Equal($"label-{trackingId}.pdf", download.SuggestedFilename);
        var pdf = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5));

        // A home delivery: the address, a tap on the map for its position, and a time window tomorrow.
        await counter.ClickAsync("#another");
        await counter.FillAsync("#name", "Jeanne Petit");
        await counter.FillAsync("#email", "jeanne@example.org");
        await counter.ClickAsync("label.choice:has(input[name=size][value=M])");
        await counter.ClickAsync("label.choice:has(input[value=home])");
        await counter.FillAsync("#street", "12 rue de la Concorde");
        await counter.FillAsync("#postal", "37400");
        await counter.FillAsync("#city", "Amboise");
        await counter.ClickAsync("#submit");
        await Expect(counter.Locator("[data-error-for=\"recipient.address.location\"]")).Not.ToBeEmptyAsync();
        await Expect(counter.Locator("#street")).ToHaveValueAsync("12 rue de la Concorde");
        await counter.Locator("#home-map.leaflet-container").ClickAsync();
        var tomorrow = DateTime.Now.Date.AddDays(1);
        await counter.FillAsync("#from", tomorrow.AddHours(10).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await counter.FillAsync("#to", tomorrow.AddHours(12).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await counter.ClickAsync("#submit");
        await Expect(counter.Locator("#label-qr svg")).ToBeVisibleAsync();
        await Expect(counter.Locator("#parcels tbody tr")).ToHaveCountAsync(2);

        // The shop changes its mind about the home parcel: cancelled before any pickup, after a confirmation.
        var homeTracking = (await counter.Locator("#label-tracking").InnerTextAsync()).Trim();
        counter.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await counter.ClickAsync($"tr[data-tracking=\"{homeTracking}\"] [data-cancel]");
        await Expect(counter.Locator($"tr[data-tracking=\"{homeTracking}\"] [data-status]")).ToHaveAttributeAsync("data-status", "Cancelled");
        await Expect(counter.Locator($"tr[data-tracking=\"{homeTracking}\"] [data-cancel]")).ToHaveCountAsync(0);

        // The courier picks it up by typing its tracking number, then deposits it: the page says which compartment to use.
        var round = await Chromium.OpenAsync(Server.BaseAddress, "/courier", Browser.Phone);
        await Browser.SignInAsync(round, courier.Key);
        await round.FillAsync("#parcel-id", "no-such-parcel");
        await round.ClickAsync("#pickup-go");
        await Expect(round.Locator("#pickup-error")).Not.ToBeEmptyAsync();
        await Expect(round.Locator("#parcel-id")).ToHaveValueAsync("no-such-parcel");
        await round.FillAsync("#parcel-id", trackingId);
        await round.ClickAsync("#pickup-go");
        await round.Locator("#scanned [data-scan-do]").ClickAsync();
        await Expect(round.Locator("#parcel-id")).ToHaveValueAsync("");
        var carried = round.Locator($"article[data-tracking=\"{trackingId}\"]");
        await Expect(carried).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(round, "courier-load");

        // The connection drops at the locker: the deposit waits in the page and goes out when the connection is back.
        await round.Context.SetOfflineAsync(true);
        await carried.Locator("[data-do=deposit]").ClickAsync();
        await Expect(round.Locator("#pending")).Not.ToBeEmptyAsync();
        await round.Context.SetOfflineAsync(false);
        await Expect(round.Locator("#message")).ToContainTextAsync("Consigne Mairie");
        await Expect(round.Locator("#pending")).ToBeEmptyAsync();
        await Browser.ScreenshotAsync(round, "courier-deposit");

        // The shop's list moved on by itself.
        await Expect(counter.Locator($"tr[data-tracking=\"{trackingId}\"] [data-status]")).ToHaveAttributeAsync("data-status", "AwaitingCollection");
        await Browser.ScreenshotAsync(counter, "shop-list");

        // The console saw the compartment taken: one of six.
        await Expect(fill).ToHaveTextAsync("17 %");
        await Expect(console.Locator("#chart svg")).ToHaveAttributeAsync("data-total", "2");
        await Browser.ScreenshotAsync(console, "operator");

        // The customer follows the SMS link, sees the place, compartment and deadline, and the code prompt.
        var code = await Server.CodeSentAsync(trackingId, Phone);
        var tracking = await Chromium.OpenAsync(Server.BaseAddress, $"/track/{trackingId}", Browser.Phone);
        await Expect(tracking.Locator("#status")).ToHaveAttributeAsync("data-status", "AwaitingCollection");
        var number = (await tracking.Locator("#compartment").InnerTextAsync()).Trim();
        Assert.Matches("^[1-6]$", number);
        await Expect(tracking.Locator("#deadline")).Not.ToBeEmptyAsync();
        await Expect(tracking.Locator("#code")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(tracking, "track-waiting");

        // A wrong code is refused next to the field, which keeps what was typed; the right one opens the door.
        await tracking.FillAsync("#code", "000000");
        await tracking.ClickAsync("#open");
        await Expect(tracking.Locator("#code-error")).ToHaveTextAsync("Ce code n’est pas le bon. Encore 4 essai(s) avant que le code soit bloqué.");
        await Expect(tracking.Locator("#code")).ToHaveValueAsync("000000");
        await tracking.ClickAsync("#extend");
        await Expect(tracking.Locator("#message")).ToContainTextAsync("C’est noté");
        await tracking.FillAsync("#code", code);
        await tracking.ClickAsync("#open");
        await Expect(tracking.Locator("#message")).ToContainTextAsync($"casier {number}");
        await Expect(tracking.Locator("#status")).ToHaveAttributeAsync("data-status", "Collected");
        await Browser.ScreenshotAsync(tracking, "track-collected");

        // The console, never reloaded, shows the compartment free again.
        await Expect(fill).ToHaveTextAsync("0 %");

        // Taking a compartment out of service needs a reason, said next to the field.
        await console.ClickAsync($"[data-open=\"{locker.Id}\"]");
        await console.ClickAsync("#service-form [data-action=out-of-service]");
        await Expect(console.Locator("#service-reason-error")).ToHaveTextAsync("Give a reason: it is recorded.");
        await console.FillAsync("#service-reason", "Door hinge broken");
        await console.ClickAsync("#service-form [data-action=out-of-service]");
        await Expect(console.Locator($"[data-locker-row=\"{locker.Id}\"] small.muted").Last).ToHaveTextAsync("0/5");
        await Browser.ScreenshotAsync(console, "operator-locker");

        // An unknown number, in English: the page says what to check and offers to type it again.
        var unknown = await Chromium.OpenAsync(Server.BaseAddress, "/track/LG-0000-0000", Browser.Phone, "en-GB");
        await Expect(unknown.Locator("#lookup-error")).ToHaveTextAsync("No parcel has this number. Check the number in your message.");
        Assert.True(await console.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        Assert.True(Chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, Chromium.PageErrors));
    }
}
