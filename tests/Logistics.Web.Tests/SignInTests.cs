using Logistics.Api.Accounts;
using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>A shopkeeper signs in with e-mail and password in Chromium; disabled by the operator, the page goes back to sign-in.</summary>
public sealed class SignInTests : BrowserTest
{
    [Fact]
    public async Task AShopkeeperSignsInWithAPasswordAndADisabledOnesPageReturnsToSignIn()
    {
        var net = await TestNetwork.CreateAsync(Server);
        var (_, tracking) = await net.RegisterForLockerAsync();
        var account = await Server.Services.CreateWithPasswordAsync("lea@example.test", "correct horse battery", "shop", net.ShopId);
        var page = await Chromium.OpenAsync(Server.BaseAddress, "/shop", Browser.Desktop, "en-GB");

        await page.FillAsync("#signin-email", "lea@example.test");
        await page.FillAsync("#signin-password", "wrong password here");
        await page.ClickAsync("#signin button[type=submit]");
        await Expect(page.Locator("#signin-error")).ToHaveTextAsync("Wrong e-mail address or password.");
        await Browser.SignInAsync(page, "lea@example.test", "correct horse battery");
        await Expect(page.Locator("#app")).ToContainTextAsync(tracking);
        Assert.Equal(0, await page.EvaluateAsync<int>("localStorage.length"));
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == Sessions.CookieName);
        Assert.True(cookie.HttpOnly && cookie.Secure);

        await (await Server.Operator().PostJsonAsync($"/api/accounts/{account.Id}/disable", null)).OkAsync();
        await page.ReloadAsync();

        await Expect(page.Locator("#signin-email")).ToBeVisibleAsync();
        await Expect(page.Locator("#app")).ToBeHiddenAsync();
        Assert.Empty(Chromium.PageErrors);
    }
}
