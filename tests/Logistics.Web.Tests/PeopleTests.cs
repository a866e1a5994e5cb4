using System.Text.RegularExpressions;
using Logistics.Api.Accounts;
using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// The people section of the operator's console and of the shop counter: invitations e-mailed and accepted in another
/// browser, colleagues disabled whose open page goes back to sign-in; and the e-mailed sign-in link, good once.
/// </summary>
public sealed partial class PeopleTests : BrowserTest
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task TheOperatorInvitesACourierWhoChoosesAPasswordFromTheMailAndLandsOnTheRound()
    {
        var net = await TestNetwork.CreateAsync(Server);
        var console = await Chromium.OpenAsync(Server.BaseAddress, "/operator", Browser.Desktop, "en-GB");
        // The couriers' list arrives only once the operator is already in the form (a slow network or a busy core):
        // the choices follow it there.
        var couriersHeld = await Browser.HoldAsync(console, "**/api/couriers");
        await Browser.SignInAsync(console, TestCore.OperatorKey);
        await Expect(console.Locator("#people-title")).ToHaveTextAsync("People");

        // A courier's account needs the courier: the refusal is said beside the list, which is marked.
        await console.FillAsync("#people-email", "max@example.test");
        await console.SelectOptionAsync("#people-role", "courier");
        await console.ClickAsync("#people-send");
        await Expect(console.Locator("#err-people-subject")).ToHaveTextAsync("Required.");
        await Expect(console.Locator("#people-subject")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(console.Locator("#people-subject")).ToBeFocusedAsync();
        couriersHeld.SetResult();
        await Expect(console.Locator("#people-subject option", new() { HasText = "Camille" })).ToHaveCountAsync(1);
        await Expect(console.Locator("#people-subject")).ToBeFocusedAsync();

        await console.SelectOptionAsync("#people-subject", new SelectOptionValue { Label = "Camille" });
        await console.ClickAsync("#people-send");
        await Expect(console.Locator("#people [data-invite-message]")).ToHaveTextAsync("Invitation sent to max@example.test.");
        await Expect(console.Locator("#people-subject")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        var row = console.Locator("#people tr[data-email='max@example.test']");
        await Expect(row).ToContainTextAsync("Courier");
        await Expect(row).ToContainTextAsync("Camille");
        await Expect(row).ToContainTextAsync("Invited");
        await Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        var mail = Assert.Single(Server.Email.Sent, m => m.To == "max@example.test");
        var link = InvitationLink().Match(mail.Text);
        Assert.True(link.Success, mail.Text);
        Assert.Contains("/courier#invitation=", link.Value, StringComparison.Ordinal);

        // Max opens the mail's link on a phone, chooses a password and is on the courier's page, signed in.
        var phone = await Chromium.OpenAsync(Server.BaseAddress, link.Value, Browser.Phone, "en-GB");
        await Expect(phone.Locator("#signin h2")).ToHaveTextAsync("Welcome: choose your password");
        Assert.DoesNotContain("invitation", phone.Url, StringComparison.Ordinal);
        await phone.FillAsync("#invite-password", "max's own long password");
        await phone.ClickAsync("#signin button[type=submit]");
        await Expect(phone.Locator("#app")).ToBeVisibleAsync();
        await Expect(phone.Locator("#bar h1")).ToHaveTextAsync("Courier round");
        await phone.ReloadAsync();
        await Expect(phone.Locator("#app")).ToBeVisibleAsync();

        await console.ReloadAsync();
        await Expect(console.Locator("#people tr[data-email='max@example.test']")).ToContainTextAsync("Active");
        await Expect(console.Locator("#people tr[data-email='max@example.test'] button")).ToHaveTextAsync("Disable");
        var violations = await Axe.CheckAsync(console.Locator("#people-section"), "operator people (en, desktop)");
        Assert.True(violations.Count == 0, Axe.Report(violations));
        // On a phone the long addresses wrap: nothing is wider than the screen.
        await console.SetViewportSizeAsync(Browser.Phone.Width, Browser.Phone.Height);
        Assert.True(await console.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await console.SetViewportSizeAsync(Browser.Desktop.Width, Browser.Desktop.Height);
        await Browser.ScreenshotAsync(console, "people-operator");
        Assert.Empty(Chromium.PageErrors);
    }

    [Fact]
    public async Task AShopkeeperInvitesAColleagueAndDisablesAnotherWhoseOpenPageReturnsToSignIn()
    {
        var net = await TestNetwork.CreateAsync(Server);
        await Server.Services.CreateWithPasswordAsync("lea@example.test", Password, "shop", net.ShopId);
        await Server.Services.CreateWithPasswordAsync("noe@example.test", Password, "shop", net.ShopId);
        await Server.Services.CreateWithPasswordAsync("zoe@example.test", Password, "shop", net.RelayShopId);
        var colleague = await Chromium.OpenAsync(Server.BaseAddress, "/shop", Browser.Phone, "fr-FR");
        await Browser.SignInAsync(colleague, "noe@example.test", Password);
        var counter = await Chromium.OpenAsync(Server.BaseAddress, "/shop", Browser.Desktop, "en-GB");
        await Browser.SignInAsync(counter, "lea@example.test", Password);

        // The shop's own staff only; no "disable" for oneself.
        await Expect(counter.Locator("#people tr[data-email='noe@example.test']")).ToContainTextAsync("Active");
        await Expect(counter.Locator("#people tr[data-email='lea@example.test']")).ToContainTextAsync("(you)");
        await Expect(counter.Locator("#people tr[data-email='lea@example.test'] button")).ToHaveCountAsync(0);
        await Expect(counter.Locator("#people tr[data-email='zoe@example.test']")).ToHaveCountAsync(0);

        await counter.FillAsync("#people-email", "sam@example.test");
        await counter.ClickAsync("#people-send");
        await Expect(counter.Locator("#people [data-invite-message]")).ToHaveTextAsync("Invitation sent to sam@example.test.");
        await Expect(counter.Locator("#people tr[data-email='sam@example.test']")).ToContainTextAsync("Invited");
        var mail = Assert.Single(Server.Email.Sent, m => m.To == "sam@example.test");
        Assert.Contains("/shop#invitation=", mail.Text, StringComparison.Ordinal);

        // The same address again is refused, and said; what was typed stays.
        await counter.FillAsync("#people-email", "SAM@example.test");
        await counter.ClickAsync("#people-send");
        await Expect(counter.Locator("#people [data-invite-message]")).ToHaveTextAsync("An account already uses this e-mail address.");
        await Expect(counter.Locator("#people-email")).ToHaveValueAsync("SAM@example.test");

        // "Disable" asks first; cancelling changes nothing.
        var noe = counter.Locator("#people tr[data-email='noe@example.test']");
        await noe.GetByRole(AriaRole.Button, new() { Name = "Disable noe@example.test" }).ClickAsync();
        await Expect(noe.GetByRole(AriaRole.Group)).ToContainTextAsync("Disable noe@example.test?");
        await Expect(noe.GetByRole(AriaRole.Button, new() { Name = "Yes, disable" })).ToBeFocusedAsync();
        await noe.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(noe.GetByRole(AriaRole.Button, new() { Name = "Disable noe@example.test" })).ToBeFocusedAsync();
        await Expect(noe).ToContainTextAsync("Active");

        await noe.GetByRole(AriaRole.Button, new() { Name = "Disable noe@example.test" }).ClickAsync();
        await noe.GetByRole(AriaRole.Button, new() { Name = "Yes, disable" }).ClickAsync();
        await Expect(counter.Locator("#people [data-people-message]")).ToHaveTextAsync("noe@example.test can no longer sign in.");
        await Expect(noe).ToContainTextAsync("Disabled");
        await Expect(noe.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        await colleague.ReloadAsync();
        await Expect(colleague.Locator("#signin-email")).ToBeVisibleAsync();
        await Expect(colleague.Locator("#app")).ToBeHiddenAsync();

        var violations = await Axe.CheckAsync(counter.Locator("#people-section"), "shop people (en, desktop)");
        Assert.True(violations.Count == 0, Axe.Report(violations));
        await Browser.ScreenshotAsync(counter, "people-shop");
        Assert.Empty(Chromium.PageErrors);
    }

    [Fact]
    public async Task AnEmailedSignInLinkSignsInOnceAndSaysSoTheSecondTime()
    {
        var net = await TestNetwork.CreateAsync(Server);
        await Server.Services.CreateWithPasswordAsync("lea@example.test", Password, "shop", net.ShopId);
        var page = await Chromium.OpenAsync(Server.BaseAddress, "/shop", Browser.Desktop, "en-GB");

        await page.FillAsync("#signin-email", "lea@example.test");
        await page.ClickAsync("#signin-send-link");
        await Expect(page.Locator("#signin-sent")).ToHaveTextAsync("If an account uses this address, a sign-in link was just sent to it (valid 15 minutes).");
        var mail = Assert.Single(Server.Email.Sent, m => m.To == "lea@example.test");
        var link = SignInLink().Match(mail.Text);
        Assert.True(link.Success, mail.Text);

        var opened = await Chromium.OpenAsync(Server.BaseAddress, link.Value, Browser.Phone, "en-GB");
        await Expect(opened.Locator("#app")).ToBeVisibleAsync();
        await Expect(opened.Locator("#bar h1")).ToHaveTextAsync("Shop counter");
        Assert.DoesNotContain("link=", opened.Url, StringComparison.Ordinal);

        var again = await Chromium.OpenAsync(Server.BaseAddress, link.Value, Browser.Phone, "en-GB");
        await Expect(again.Locator("#signin-error")).ToHaveTextAsync("This link was used already, has expired or is unknown. Ask for a new one.");
        await Expect(again.Locator("#app")).ToBeHiddenAsync();
        Assert.Empty(Chromium.PageErrors);
    }

    [GeneratedRegex(@"\S+#invitation=[A-Za-z0-9_-]+")]
    private static partial Regex InvitationLink();

    [GeneratedRegex(@"\S+#link=[A-Za-z0-9_-]+")]
    private static partial Regex SignInLink();
}
