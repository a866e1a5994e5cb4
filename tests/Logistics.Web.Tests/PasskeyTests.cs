using Logistics.Api.Accounts;
using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// A shopkeeper adds a passkey after signing in with a password, then signs in with the passkey alone; disabled by
/// the operator, the passkey is refused. Chromium's virtual authenticator (through the DevTools protocol) stands in
/// for a phone or a security key. The page is opened at http://localhost:port: browsers take no IP address as a
/// passkey's site, and a host on a loopback address without a public address is "localhost" to them.
/// </summary>
public sealed class PasskeyTests : BrowserTest
{
    [Fact]
    public async Task AShopkeeperAddsAPasskeySignsInWithItAloneAndIsRefusedOnceDisabled()
    {
        var net = await TestNetwork.CreateAsync(Server);
        var (_, tracking) = await net.RegisterForLockerAsync();
        var account = await Server.Services.CreateWithPasswordAsync("lea@example.test", "correct horse battery", "shop", net.ShopId);
        var site = new UriBuilder(Server.BaseAddress) { Host = "localhost" }.Uri;
        var page = await Chromium.OpenAsync(site, "/shop", Browser.Desktop, "en-GB");
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
            },
        });

        await Browser.SignInAsync(page, "lea@example.test", "correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Expect(page.Locator("#passkey-status")).ToHaveTextAsync("Passkey added: you can sign in with it, without a password.");
        await Browser.ScreenshotAsync(page, "shop-passkey-added");
        await page.ClickAsync("#signout");

        await Expect(page.Locator("#signin-email")).ToBeVisibleAsync();
        Assert.Equal("", await page.InputValueAsync("#signin-password"));
        var answered = await page.RunAndWaitForRequestAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync(),
            r => r.Method == "POST" && r.Url.EndsWith("/api/session/passkey", StringComparison.Ordinal));
        await Expect(page.Locator("#app")).ToBeVisibleAsync();
        await Expect(page.Locator("#app")).ToContainTextAsync(tracking);

        // The browser's answer and the ceremony's cookie, captured and sent again: refused, the challenge was used.
        using (var replay = new HttpRequestMessage(HttpMethod.Post, "/api/session/passkey") { Content = new StringContent(answered.PostData!, System.Text.Encoding.UTF8, "application/json") })
        using (var attacker = new HttpClient { BaseAddress = site })
        {
            replay.Headers.Add("Cookie", (await answered.AllHeadersAsync())["cookie"]);
            using var refused = await attacker.SendAsync(replay);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.False(refused.Headers.Contains("Set-Cookie") && refused.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(Sessions.CookieName, StringComparison.Ordinal)));
        }

        await (await Server.Operator().PostJsonAsync($"/api/accounts/{account.Id}/disable", null)).OkAsync();
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();

        await Expect(page.Locator("#signin-error")).ToContainTextAsync("This passkey is not accepted");
        await Expect(page.Locator("#app")).ToBeHiddenAsync();
        await Browser.ScreenshotAsync(page, "shop-passkey-refused");
        Assert.Empty(Chromium.PageErrors);
    }
}
