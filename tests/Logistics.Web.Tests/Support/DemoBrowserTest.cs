using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests.Support;

/// <summary>The demo as the README's run command starts it (seeded network, boards on their WebSocket), and a headless Chromium.</summary>
public abstract class DemoBrowserTest : IAsyncLifetime
{
    protected DemoServer Demo { get; private set; } = null!;

    protected Browser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // As BrowserTest: live updates on a busy CI machine can take longer than Playwright's default 5 s.
        SetDefaultExpectTimeout(20_000);
        Demo = await DemoServer.StartAsync();
        Chromium = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await Demo.DisposeAsync();
    }
}
