using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// The shop counter and the customer's collection with the keyboard alone (Tab, Enter, Space, arrows, typing): every
/// field and button is reached in the order it is read, shows where the focus is, and after each step the focus is
/// where the person continues (the first wrong field, the label's print button, the door's message).
/// </summary>
public sealed class KeyboardJourneyTests : BrowserTest
{
    [Fact]
    public async Task AShopkeeperSignsInAndRegistersAParcelForALockerWithTheKeyboardAlone()
    {
        var net = await TestNetwork.CreateAsync(Server);
        var page = await Chromium.OpenAsync(Server.BaseAddress, "/shop", Browser.Desktop);
        var keys = page.Keyboard;

        // Sign in: the e-mail field comes right after the language switch, the password after it.
        var (email, password) = await Browser.AccountForKeyAsync(Server.BaseAddress, net.ShopKey);
        await TabToAsync(page, "#signin-email");
        await keys.TypeAsync(email);
        await keys.PressAsync("Tab");
        await Expect(page.Locator("#signin-password")).ToBeFocusedAsync();
        await keys.TypeAsync(password);
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#app")).ToBeVisibleAsync();
        await Expect(page.Locator("#name")).ToBeFocusedAsync();

        // A name only, sent with Enter: the errors are said and the focus goes to the first field to fix.
        await keys.TypeAsync("Camille Martin");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("[data-error-for=size]")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#phone")).ToBeFocusedAsync();
        await Expect(page.Locator("#phone")).ToHaveAttributeAsync("aria-invalid", "true");

        await keys.TypeAsync(TestNetwork.Phone);
        await TabToAsync(page, "input[name=size][value=S]", most: 2);
        await keys.PressAsync("Space");
        await keys.PressAsync("ArrowRight");
        await Expect(page.Locator("input[name=size][value=M]")).ToBeCheckedAsync();
        await keys.PressAsync("ArrowLeft");
        await Expect(page.Locator("input[name=size][value=S]")).ToBeCheckedAsync();

        // The destination's group keeps its choice (a locker); the locker is chosen with the arrows.
        await TabToAsync(page, "input[name='destination.kind'][value=locker]", most: 1);
        await TabToAsync(page, "#locker", most: 1);
        for (var i = 0; i < 5 && await page.Locator("#locker").InputValueAsync() != net.LockerId; i++)
        {
            await keys.PressAsync("ArrowDown");
        }

        await Expect(page.Locator("#locker")).ToHaveValueAsync(net.LockerId);
        await TabToAsync(page, "#submit", most: 1);
        await keys.PressAsync("Enter");

        // The label is shown with the focus on its print button; the parcel is in the shop's list.
        await Expect(page.Locator("#label-qr svg")).ToBeVisibleAsync();
        await Expect(page.Locator("#print")).ToBeFocusedAsync();
        var tracking = (await page.Locator("#label-tracking").InnerTextAsync()).Trim();
        await Expect(page.Locator($"tr[data-tracking=\"{tracking}\"] [data-status]")).ToHaveAttributeAsync("data-status", "AwaitingPickup");

        // "Another parcel" by the keyboard brings the empty form back, focus in its first field.
        await TabToAsync(page, "#another", most: 1);
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#name")).ToBeFocusedAsync();
        await Expect(page.Locator("#name")).ToHaveValueAsync("");
        await Browser.ScreenshotAsync(page, "keyboard-shop");
        Assert.True(Chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, Chromium.PageErrors));
    }

    [Fact]
    public async Task ACustomerCollectsAParcelWithTheKeyboardAlone()
    {
        var net = await TestNetwork.CreateAsync(Server);
        await using var board = await net.BoardAsync();
        var deposit = await net.DepositedAsync();
        var page = await Chromium.OpenAsync(Server.BaseAddress, $"/track/{deposit.TrackingId}", Browser.Phone, "en-GB");
        var keys = page.Keyboard;
        await Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "AwaitingCollection");

        // A wrong code, sent with Enter: the reason is said and the focus stays in the field, which keeps the code.
        await TabToAsync(page, "#code");
        await keys.TypeAsync("000000");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#code-error")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#code")).ToBeFocusedAsync();
        await Expect(page.Locator("#code")).ToHaveAttributeAsync("aria-invalid", "true");

        // The right code, typed over it and sent with the button: the door opens and the focus goes to the message.
        await keys.PressAsync("Control+A");
        await keys.TypeAsync(deposit.Code);
        await TabToAsync(page, "#open", most: 1);
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "Collected");
        await Expect(page.Locator("#message")).ToContainTextAsync($"{deposit.Compartment}");
        await Expect(page.Locator("#message")).ToBeFocusedAsync();
        await Browser.ScreenshotAsync(page, "keyboard-collected");

        var violations = await Axe.CheckAsync(page, "track-collected en-phone");
        Assert.True(violations.Count == 0, Axe.Report([.. violations]));
        Assert.True(Chromium.PageErrors.Count == 0, string.Join(Environment.NewLine, Chromium.PageErrors));
    }

    /// <summary>
    /// Presses Tab until <paramref name="selector"/> has the focus, at most <paramref name="most"/> times; every element
    /// passed on the way must be visible and show its focus.
    /// </summary>
    private static async Task TabToAsync(IPage page, string selector, int most = 12)
    {
        var passed = new List<string>();
        for (var i = 0; i < most; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string>(FocusedScript);
            passed.Add(focused);
            Assert.False(focused.EndsWith(" [focus not shown]", StringComparison.Ordinal), $"focus not visible on {focused}");
            if (await page.Locator(selector).EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }
        }

        Assert.Fail($"{selector} not reached with {most} Tab: {string.Join(" → ", passed)}");
    }

    // The focused element, and whether it (or, for a visually hidden radio, its drawn box) shows a focus outline.
    private const string FocusedScript = """
        () => {
          const e = document.activeElement;
          const drawn = e.closest('label.choice')?.querySelector('span') ?? e;
          const style = getComputedStyle(drawn, null);
          const box = drawn.getBoundingClientRect();
          const shown = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 && box.width > 0 && box.height > 0;
          const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? `[name=${e.name}]` : '');
          return shown ? name : name + ' [focus not shown]';
        }
        """;
}
