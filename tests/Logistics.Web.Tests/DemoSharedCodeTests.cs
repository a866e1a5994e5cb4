using Logistics.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// Two shops' parcels for one phone at the demo's town-hall locker: the tracking page says the one code opens two
/// compartments, and typed on the locker's keypad it opens both doors, the page naming both.
/// </summary>
public sealed class DemoSharedCodeTests : DemoBrowserTest
{
    private const string Phone = "+33 6 24 68 13 57";
    private const string LockerId = "locker-01";

    [Fact]
    public async Task OneCodeTypedOnTheLockersKeypadOpensTheDoorsOfTwoShopsParcels()
    {
        var keys = Demo.Network.Keys;
        var locker = await Chromium.OpenAsync(Demo.BaseAddress, $"/demo/lockers/{LockerId}", Browser.Desktop, "en-GB");
        await Expect(locker.Locator("#link-status")).ToHaveAttributeAsync("data-state", "online");

        var parcels = new List<(string Tracking, int Compartment)>();
        foreach (var shop in keys.Shops.Take(2))
        {
            var (tracking, compartment) = await DepositAsync(shop.ApiKey, keys.Couriers[0].ApiKey);
            var door = locker.Locator($"#door-{compartment}");
            await Expect(door).ToHaveAttributeAsync("data-state", "open");
            await locker.ClickAsync($"#door-{compartment}-close");
            await Expect(door).ToHaveAttributeAsync("data-state", "closed");
            parcels.Add((tracking, compartment));
        }

        var page = await Chromium.OpenAsync(Demo.BaseAddress, $"/track/{parcels[0].Tracking}", Browser.Phone, "en-GB");
        await Expect(page.Locator("#code-opens")).ToHaveAttributeAsync("data-doors", "2");
        await Expect(page.Locator("#code-opens")).ToContainTextAsync("opens 2 compartments");

        foreach (var digit in await Demo.CodeSentAsync(parcels[1].Tracking, Phone))
        {
            await locker.ClickAsync($"#keypad button[data-key=\"{digit}\"]");
        }

        await locker.ClickAsync("#code-submit");
        var doors = parcels.Select(p => p.Compartment).Order().ToList();
        await Expect(locker.Locator("#code-message")).ToHaveAttributeAsync("data-outcome", "accepted");
        await Expect(locker.Locator("#code-message")).ToContainTextAsync($"doors {doors[0]}, {doors[1]} are opening");
        await Browser.ScreenshotAsync(locker, "demo-locker-shared-code");
        foreach (var compartment in doors)
        {
            await Expect(locker.Locator($"#door-{compartment}")).ToHaveAttributeAsync("data-state", "open");
            await locker.ClickAsync($"#door-{compartment}-close");
            await Expect(locker.Locator($"#door-{compartment}")).ToHaveAttributeAsync("data-parcel", "false");
        }

        await Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "Collected", new() { Timeout = 30_000 });
    }

    /// <summary>A shop registers a parcel for the phone at the locker, a courier takes it and deposits it.</summary>
    private Task<(string Tracking, int Compartment)> DepositAsync(string shopKey, string courierKey) =>
        Demo.DepositedAsync(shopKey, courierKey, new
        {
            recipient = new { name = "Camille Martin", phone = Phone },
            size = "S",
            destination = new { kind = "locker", lockerId = LockerId },
        });
}
