using System.Text.Json;
using System.Text.RegularExpressions;
using Logistics.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// The demo's pages as the README's run command shows them, where the network is busy — planned rounds on the
/// operator's map, a courier's round with its next stop, a locker's own page, a recipient's code from its message —
/// have no violation of WCAG 2.1 AA that axe-core finds, in French and English, on a phone and a desktop.
/// </summary>
public sealed partial class DemoAccessibilityTests : DemoBrowserTest
{
    [Fact]
    public async Task TheDemosBusyPagesHaveNoWcag21AAViolation()
    {
        var rounds = await Demo.GetAsync("/api/rounds", DemoServer.OperatorKey);
        var courierId = rounds.EnumerateArray().First(r => r.GetProperty("stops").GetArrayLength() > 0).GetProperty("courierId").GetString();
        var courierKey = Demo.Network.Keys.Couriers.Single(c => c.Id == courierId).ApiKey;
        var link = await LinkAsync();

        var violations = new List<Axe.Violation>();
        foreach (var (locale, size, variant) in new[]
        {
            ("fr-FR", Browser.Phone, "fr-phone"), ("fr-FR", Browser.Desktop, "fr-desktop"),
            ("en-GB", Browser.Phone, "en-phone"), ("en-GB", Browser.Desktop, "en-desktop"),
        })
        {
            async Task<IPage> Open(string path) => await Chromium.OpenAsync(Demo.BaseAddress, path, size, locale);
            async Task Scan(IPage page, string name) => violations.AddRange(await Axe.CheckAsync(page, $"{name} {variant}"));

            var console = await Open("/operator");
            await Browser.SignInAsync(console, DemoServer.OperatorKey);
            await Expect(console.Locator("#rounds tbody tr").First).ToBeVisibleAsync();
            await Expect(console.Locator("#map .map-mark.locker").First).ToBeVisibleAsync();
            await Scan(console, "demo-operator");

            var courier = await Open("/courier");
            await Browser.SignInAsync(courier, courierKey);
            await Expect(courier.Locator("#current-stop")).ToBeVisibleAsync();
            await Expect(courier.Locator("#round-map .map-mark.stop").First).ToBeVisibleAsync();
            await Scan(courier, "demo-courier");

            var locker = await Open("/demo/lockers/locker-01");
            await Expect(locker.Locator("#link-status")).ToHaveAttributeAsync("data-state", "online");
            await Scan(locker, "demo-locker");

            var track = await Open(link);
            await Expect(track.Locator("#code-display")).Not.ToBeEmptyAsync();
            await Scan(track, "demo-track");

            foreach (var page in new[] { console, courier, locker, track })
            {
                await page.Context.CloseAsync();
            }
        }

        Assert.True(violations.Count == 0, Axe.Report(violations));
        Assert.True(Chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, Chromium.PageErrors));
    }

    /// <summary>A tracking link with its code, from the message of a seeded parcel still waiting in its locker.</summary>
    private async Task<string> LinkAsync()
    {
        using var customer = Demo.Client();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            foreach (var link in Demo.Sms.Sent.ToList().Select(m => TrackingLink().Match(m.Text)).Where(m => m.Success))
            {
                var tracking = link.Groups["tracking"].Value;
                var view = JsonDocument.Parse(await customer.GetStringAsync($"/api/track/{tracking}")).RootElement;
                if (view.GetProperty("status").GetString() == "AwaitingCollection")
                {
                    return link.Value;
                }
            }

            await Task.Delay(300);
        }

        throw new TimeoutException("The demo sent no message with the link of a parcel waiting in a locker.");
    }

    [GeneratedRegex(@"/track/(?<tracking>[A-Z0-9-]+)#code=[0-9]+")]
    private static partial Regex TrackingLink();
}
