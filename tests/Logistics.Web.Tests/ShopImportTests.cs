using System.Text;
using Logistics.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>Issue 16, part 2: at the counter, a shop imports its parcels from a CSV file and sees which lines were refused and why.</summary>
public sealed class ShopImportTests : BrowserTest
{
    [Fact]
    public async Task AShopImportsAFileAndSeesItsParcelsAndTheLinesRefused()
    {
        var shop = await Server.RegisterAsync("/api/shops", new { name = "Boulangerie Ducs", address = "1 rue Nationale", latitude = 47.4130, longitude = 0.9833 });
        var compartments = Enumerable.Range(1, 4).Select(n => new { number = n, size = "S", lowHeight = false });
        var locker = await Server.RegisterAsync("/api/lockers", new { name = "Consigne Mairie", address = "Place de la Mairie", latitude = 47.4124, longitude = 0.9835, compartments });
        var csv = $"reference;name;phone;size;destination;locker\nCMD-1;Ana Martin;+33 6 00 00 00 01;S;locker;{locker.Id}\n" +
            $"CMD-2;Bruno Petit;+33 6 00 00 00 02;XL;locker;{locker.Id}\nCMD-3;Chloé Roux;+33 6 00 00 00 03;S;locker;{locker.Id}\n";

        var counter = await Chromium.OpenAsync(Server.BaseAddress, "/shop", Browser.Phone);
        await Browser.SignInAsync(counter, shop.Key);
        await counter.SetInputFilesAsync("#import-file", new FilePayload { Name = "colis.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await counter.ClickAsync("#import-send");

        await Expect(counter.Locator("#import-message")).ToHaveTextAsync("2 colis enregistrés, 1 lignes refusées.");
        await Expect(counter.Locator("#import-rejected li")).ToHaveTextAsync("Ligne 3 (CMD-2) : à corriger : size.");
        await Expect(counter.Locator("#parcels tr[data-tracking]")).ToHaveCountAsync(2);
        await Browser.ScreenshotAsync(counter, "shop-import");
    }
}
