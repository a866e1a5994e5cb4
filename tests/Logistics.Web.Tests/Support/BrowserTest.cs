using Logistics.Api.Hosting;
using Logistics.Testing.Core;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests.Support;

/// <summary>A core on the real clock with its background work, and a headless Chromium to drive its pages.</summary>
public abstract class BrowserTest : IAsyncLifetime
{
    protected TestCore Server { get; private set; } = null!;

    protected Browser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Live updates go through projections, the outbox and the feed's polling: on a busy CI machine that can
        // take longer than Playwright's default 5 s.
        SetDefaultExpectTimeout(20_000);
        Server = await TestCore.StartAsync(realClock: true, backgroundWork: true, configure: Configure);
        Chromium = await Browser.LaunchAsync();
    }

    /// <summary>Changes to the core's options a test needs (a release key, say).</summary>
    protected virtual Func<LogisticsOptions, LogisticsOptions>? Configure => null;

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await Server.DisposeAsync();
    }
}
