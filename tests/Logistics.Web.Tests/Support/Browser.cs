using Logistics.Api.Accounts;
using Logistics.Application.Access;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Logistics.Web.Tests.Support;

/// <summary>Debian's chromium driven by Playwright (its own browser download does not work here).</summary>
public sealed class Browser : IAsyncDisposable
{
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    private IPlaywright _playwright = null!;

    public IBrowser Chromium { get; private set; } = null!;

    /// <summary>What the pages wrote to their consoles as errors, and uncaught exceptions: a test fails on any.</summary>
    public List<string> PageErrors { get; } = [];

    /// <summary>Launches Chromium; <paramref name="extraArgs"/> adds switches such as a fake camera's.</summary>
    public static async Task<Browser> LaunchAsync(params string[] extraArgs)
    {
        var browser = new Browser { _playwright = await Playwright.CreateAsync() };
        browser.Chromium = await browser._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", .. extraArgs],
        });
        return browser;
    }

    /// <summary>A fresh context (own localStorage) for one person, in French or English, at phone or desktop size.</summary>
    public async Task<IPage> OpenAsync(Uri baseAddress, string path, ViewportSize size, string locale = "fr-FR")
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = size,
            Locale = locale,
            IsMobile = size.Width < 600,
            HasTouch = size.Width < 600,
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // Deliberate 4xx answers, the live feed's reconnects and requests made while the test cut the connection
            // log as errors; everything else counts.
            if (message.Type == "error" && !Expected(message.Text))
            {
                PageErrors.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => PageErrors.Add($"{page.Url}: {error}");
        await page.GotoAsync(path);
        return page;
    }

    private static bool Expected(string text) =>
        text.Contains("status of 4", StringComparison.Ordinal) || text.Contains("EventSource", StringComparison.Ordinal)
        || text.Contains("ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal);

    /// <summary>Signs a person in as they do: their e-mail and password in the page's form.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.FillAsync("#signin-email", email);
        await page.FillAsync("#signin-password", password);
        await page.ClickAsync("#signin button[type=submit]");
        await Assertions.Expect(page.Locator("#app")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Signs in as a person acting for a key's role and subject (the shop, courier or operator the key was issued to):
    /// an account is made for them on the host behind the page, then its e-mail and password go into the form. Keys
    /// are never typed into a page; tests written against keys keep working through this.
    /// </summary>
    public static async Task SignInAsync(IPage page, string key)
    {
        var (email, password) = await AccountForKeyAsync(new Uri(page.Url), key);
        await SignInAsync(page, email, password);
    }

    /// <summary>A new account (e-mail, password) on the host at <paramref name="address"/> for the role and subject of a key it issued.</summary>
    public static async Task<(string Email, string Password)> AccountForKeyAsync(Uri address, string key)
    {
        var services = RunningHosts.For(address);
        var credential = await services.GetRequiredService<ApiKeys>().FindAsync(key) ?? throw new InvalidOperationException("The host does not know this key.");
        var email = $"{credential.Role}.{Guid.NewGuid():N}@example.test";
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await services.CreateWithPasswordAsync(email, password, credential.Role, credential.SubjectId, credential.Network);
        return (email, password);
    }

    /// <summary>Draws a signature with the mouse (a finger on a phone) on the courier's proof pad.</summary>
    public static async Task SignAsync(IPage page, string pad = "#proof-pad")
    {
        var box = await page.Locator(pad).BoundingBoxAsync() ?? throw new InvalidOperationException("no signature pad");
        await page.Mouse.MoveAsync(box.X + 20, box.Y + (box.Height / 2));
        await page.Mouse.DownAsync();
        foreach (var (dx, dy) in new[] { (60, -40), (110, 30), (170, -30), (230, 35), (290, -10) })
        {
            await page.Mouse.MoveAsync(box.X + dx, box.Y + (box.Height / 2) + dy, new MouseMoveOptions { Steps = 5 });
        }

        await page.Mouse.UpAsync();
    }

    /// <summary>
    /// Holds the page's requests to <paramref name="url"/> (a glob) until the returned source is set: a slow network or
    /// a busy core, at the moment the test chooses.
    /// </summary>
    public static async Task<TaskCompletionSource> HoldAsync(IPage page, string url)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(url, async route =>
        {
            await held.Task;
            await route.ContinueAsync();
        });
        return held;
    }

    /// <summary>Saves the page at phone and desktop sizes, then puts the original size back.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var (width, height) = page.ViewportSize is { } current ? (current.Width, current.Height) : (Desktop.Width, Desktop.Height);
        foreach (var (size, suffix) in new[] { (Phone, "phone"), (Desktop, "desktop") })
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Screenshots, $"{name}-{suffix}.png"), FullPage = true });
        }

        await page.SetViewportSizeAsync(width, height);
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.CloseAsync();
        _playwright.Dispose();
    }
}
