using System.Net;
using System.Text.Json;
using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// The resident's page of their home box (reached from the QR code on it): pairing it with the code printed on it,
/// in their language, then giving it up; what the page says is what the core did.
/// </summary>
public sealed class HomeBoxPageTests : BrowserTest
{
    [Fact]
    public async Task TheResidentPairsTheirBoxOnItsPageAndShopsCanThenSendItTheirParcelsOnly()
    {
        var net = await TestNetwork.CreateAsync(Server);
        var box = await TestCore.ReadAsync<JsonElement>(await Server.Operator().PostJsonAsync(
            "/api/home-boxes", new { name = "Boîte Martin", address = "4 rue des Lilas", latitude = 47.415, longitude = 0.986 }));
        var (id, code) = (box.GetProperty("boxId").GetString()!, box.GetProperty("pairingCode").GetString()!);
        var page = await Chromium.OpenAsync(Server.BaseAddress, $"/homebox/{id}", Browser.Phone, "fr-FR");

        // A wrong code: said in French, next to nothing else, and the box stays unpaired.
        await page.FillAsync("#pairing-code", "ZZZZ-ZZZZ");
        await page.FillAsync("#name", "Camille Martin");
        await page.FillAsync("#phone", "06 11 22 33 44");
        await page.FillAsync("#street", "4 rue des Lilas");
        await page.FillAsync("#postal-code", "37000");
        await page.FillAsync("#city", "Tours");
        await page.ClickAsync("#pair");
        await Expect(page.Locator("#message")).ToHaveTextAsync("Ce code n’est pas celui imprimé sur cette boîte.");
        await Expect(page.Locator("#name")).ToHaveValueAsync("Camille Martin");

        await page.FillAsync("#pairing-code", code.ToLowerInvariant());
        await page.ClickAsync("#pair");
        await Expect(page.Locator("#message")).ToContainTextAsync("« Boîte Martin » est votre boîte");
        await Expect(page.Locator("#message")).ToContainTextAsync(id);
        await Browser.ScreenshotAsync(page, "homebox-paired");

        await Server.SettleAsync();
        var listed = await Server.Operator().GetStringAsync("/api/home-boxes");
        Assert.True(JsonDocument.Parse(listed).RootElement[0].GetProperty("paired").GetBoolean());
        Assert.DoesNotContain("Camille", listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await net.Shop.PostJsonAsync("/api/parcels", ForBox(id, TestNetwork.Phone))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await net.Shop.PostJsonAsync("/api/parcels", ForBox(id, "07 98 76 54 32"))).StatusCode);

        // Given up on the same page, in English this time.
        var english = await Chromium.OpenAsync(Server.BaseAddress, $"/homebox/{id}", Browser.Desktop, "en-GB");
        await english.FillAsync("#release-code", code);
        await english.FillAsync("#release-phone", "+33 6 11 22 33 44");
        await english.ClickAsync("#give-up");
        await Expect(english.Locator("#message")).ToHaveTextAsync("The box is no longer yours; your details are erased.");
        await Server.SettleAsync();
        Assert.False(JsonDocument.Parse(await Server.Operator().GetStringAsync("/api/home-boxes")).RootElement[0].GetProperty("paired").GetBoolean());
        Assert.True(Chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, Chromium.PageErrors));
    }

    private static object ForBox(string box, string phone) => new
    {
        recipient = new { name = "Camille Martin", phone },
        size = "S",
        destination = new { kind = "homeBox", boxId = box },
    };
}
