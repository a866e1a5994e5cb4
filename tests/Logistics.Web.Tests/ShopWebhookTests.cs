using Logistics.Testing;
using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// Issue 16, part 2, on the pages: a shop creates its web store's key and a webhook endpoint at the counter, the store
/// sends an order, the shop's system (the example receiver) gets the signed event, and the shop's page shows the
/// delivery with its "send again".
/// </summary>
public sealed class ShopWebhookTests : BrowserTest
{
    [Fact]
    public async Task AShopConnectsItsWebStoreAndSeesTheEventsSentToIt()
    {
        var shop = await Server.RegisterAsync("/api/shops", new { name = "Librairie Amboise", address = "2 rue Nationale", latitude = 47.4130, longitude = 0.9833 });
        var compartments = Enumerable.Range(1, 4).Select(n => new { number = n, size = "S", lowHeight = false });
        var locker = await Server.RegisterAsync("/api/lockers", new { name = "Consigne Mairie", address = "Place de la Mairie", latitude = 47.4124, longitude = 0.9835, compartments });
        await using var inbox = await WebhookInbox.StartAsync();

        var counter = await Chromium.OpenAsync(Server.BaseAddress, "/shop", Browser.Desktop);
        await Browser.SignInAsync(counter, shop.Key);
        await counter.ClickAsync("#webstore-key");
        var storeKey = await counter.Locator("#webstore-key-shown code").TextContentAsync();
        await counter.FillAsync("#webhook-url", inbox.Url);
        await counter.ClickAsync("#webhook-add-send");
        inbox.Secret = (await counter.Locator("#webhook-secret code").TextContentAsync())!;
        Assert.StartsWith("whsec_", inbox.Secret, StringComparison.Ordinal);

        var store = Server.Client(storeKey);
        await (await store.PostJsonAsync("/api/orders", new
        {
            orderId = "WC-77",
            recipient = new { name = "Ana Martin", phone = "+33 6 00 00 00 01" },
            size = "S",
            destination = new { kind = "locker", lockerId = locker.Id },
        })).OkAsync();

        await Wait.UntilAsync(() => inbox.Received.Count == 1, "the shop's system to receive the order's webhook");
        Assert.Equal(("parcel.awaiting-pickup", "WC-77"), (inbox.Received[0].Type, inbox.Received[0].Data.GetProperty("reference").GetString()));
        await Expect(counter.Locator("#webhook-deliveries tr.webhook-delivery[data-state=delivered]")).ToHaveCountAsync(1);
        await Browser.ScreenshotAsync(counter, "shop-webhooks");

        await counter.ClickAsync("#webhook-deliveries button.resend");
        await Expect(counter.Locator("#webhook-deliveries [data-resend-message]")).ToHaveTextAsync("Renvoi demandé.");
        // Sent again with the same webhook-id: the receiver answered it and, having handled that id, did not handle it twice.
        await Wait.UntilAsync(
            async () => (await TestCore.ReadAsync<System.Text.Json.JsonElement>(await store.GetAsync("/api/webhooks/deliveries")))[0].GetProperty("attempts").GetInt32() == 2,
            "the webhook to be sent again");
        Assert.Single(inbox.Received);
    }
}
