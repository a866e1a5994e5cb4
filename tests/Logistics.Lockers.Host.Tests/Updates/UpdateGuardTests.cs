using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Link;
using Logistics.Lockers.Host.Tests.Controller;
using Logistics.Lockers.Host.Tests.Link;
using Logistics.Lockers.Host.Updates;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Updates;

/// <summary>A new release on trial: kept once it reaches the core, rolled back and reported when it does not.</summary>
public sealed class UpdateGuardTests : IAsyncLifetime
{
    private static readonly UpdateConfig Config = new() { ConfirmWithinSeconds = 120, MaxTrialStarts = 3 };
    private readonly TempDirectory _dir = new();
    private readonly Releases _releases = new();
    private readonly ECDsa _deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _coreKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly CancellationTokenSource _stop = new();

    [Fact]
    public async Task AReleaseThatCannotReachTheCoreIsRolledBackAndTheRestoredVersionReportsIt()
    {
        var layout = Installed();
        var clock = new ManualTimeProvider();
        var restarts = 0;

        // 2.0.0 starts, but its core is unreachable (nothing listens on that loopback port).
        using (var board = new ControllerHarness(_dir, clock, _coreKey).Started())
        {
            var unreachable = new LinkClient(new LinkOptions { CoreUrl = new Uri($"http://127.0.0.1:{Loopback.FreePort()}/") }, board.Journal, new DeviceCredential(ControllerHarness.DeviceId, _deviceKey, "2.0.0"), new CommandSignature(_coreKey), board.Controller.Handle, clock);
            using var guard = new UpdateGuard(layout, Config, "2.0.0", board.Controller, unreachable, clock, () => restarts++, _ => { });
            guard.Start();
            using var stopLink = new CancellationTokenSource();
            var trying = unreachable.RunAsync(stopLink.Token);
            Assert.True(guard.OnTrial);
            for (var s = 0; s < 119; s++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }

            Assert.Equal(("2.0.0", 0), (layout.CurrentVersion, restarts));
            clock.Advance(TimeSpan.FromSeconds(1));
            await stopLink.CancelAsync();
            await trying;
            Assert.NotEqual(LinkState.Online, unreachable.State);
        }

        Assert.Equal(1, restarts);
        Assert.Equal("1.0.0", layout.CurrentVersion);
        Assert.False(File.Exists(layout.TrialFile));

        // systemd starts current: 1.0.0 journals the rollback, and its link takes it to the core.
        using (var restored = new ControllerHarness(_dir, clock, _coreKey).Started())
        {
            await using var gateway = new LoopbackGateway(_deviceKey, _coreKey);
            var link = new LinkClient(new LinkOptions { CoreUrl = gateway.Url }, restored.Journal, new DeviceCredential(ControllerHarness.DeviceId, _deviceKey, "1.0.0"), new CommandSignature(_coreKey), restored.Controller.Handle);
            using var guard = new UpdateGuard(layout, Config, "1.0.0", restored.Controller, link, clock, () => restarts++, _ => { });
            guard.Start();
            var running = link.RunAsync(_stop.Token);
            await LoopbackGateway.WaitUntil(() => gateway.Stored.Values.Any(e => e.Payload is DevicePayload.UpdateRolledBack), "the rollback to reach the core");

            var reported = gateway.Stored.Values.Select(e => e.Payload).OfType<DevicePayload.UpdateRolledBack>().Single();
            Assert.Equal(new DevicePayload.UpdateRolledBack("2.0.0", "1.0.0", "2.0.0 did not reach the core within 120 s"), reported);
            Assert.Equal("1.0.0", gateway.HelloVersions[0]);
            Assert.False(guard.OnTrial);
            Assert.False(File.Exists(layout.RollbackFile));
            await _stop.CancelAsync();
            await running;
        }

        Assert.Equal(1, restarts);
    }

    [Fact]
    public async Task AReleaseThatReachesTheCoreIsKept()
    {
        var layout = Installed();
        var clock = new ManualTimeProvider();
        var restarts = 0;
        using var board = new ControllerHarness(_dir, clock, _coreKey).Started();
        await using var gateway = new LoopbackGateway(_deviceKey, _coreKey);
        var link = new LinkClient(new LinkOptions { CoreUrl = gateway.Url }, board.Journal, new DeviceCredential(ControllerHarness.DeviceId, _deviceKey, "2.0.0"), new CommandSignature(_coreKey), board.Controller.Handle);
        using var guard = new UpdateGuard(layout, Config, "2.0.0", board.Controller, link, clock, () => restarts++, _ => { });

        guard.Start();
        var running = link.RunAsync(_stop.Token);
        await LoopbackGateway.WaitUntil(() => !File.Exists(layout.TrialFile), "the trial to end");
        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(("2.0.0", 0), (layout.CurrentVersion, restarts));
        Assert.Equal(["2.0.0"], gateway.HelloVersions);
        await _stop.CancelAsync();
        await running;
    }

    [Fact]
    public void AReleaseThatKeepsCrashingAtStartIsRolledBackBeforeItRunsAgain()
    {
        var layout = Installed();

        var decisions = Enumerable.Range(0, 4).Select(_ => UpdateGuard.RollBackIfFailingToStart(layout, Config, "2.0.0", _ => { })).ToList();

        Assert.Equal([false, false, false, true], decisions);
        Assert.Equal("1.0.0", layout.CurrentVersion);
        Assert.Equal("2.0.0 started 4 times without reaching the core", ReleaseLayout.Read<RollbackRecord>(layout.RollbackFile)!.Reason);
        Assert.False(UpdateGuard.RollBackIfFailingToStart(layout, Config, "1.0.0", _ => { }));
    }

    [Fact]
    public void AnInstallCutShortBeforeTheSwitchIsReportedByTheVersionThatStillRuns()
    {
        var layout = _releases.Root(_dir.File("root"));
        var cut = new ReleaseInstaller(layout, _releases.PublicKey, "1.0.0") { Step = s => { if (s == "trial-recorded") { throw new IOException("power cut"); } } };
        Assert.Throws<IOException>(() => cut.Install(_releases.Manifest("2.0.0"), _releases.BundlePath));
        using var board = new ControllerHarness(_dir, new ManualTimeProvider(), _coreKey).Started();

        using var guard = new UpdateGuard(layout, Config, "1.0.0", board.Controller, null, new ManualTimeProvider(), () => { }, _ => { });
        guard.Start();

        Assert.Equal("1.0.0", layout.CurrentVersion);
        Assert.Contains(board.Payloads(), p => p is DevicePayload.UpdateRefused { Version: "2.0.0" });
        Assert.False(File.Exists(layout.TrialFile));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        _deviceKey.Dispose();
        _coreKey.Dispose();
        _releases.Dispose();
        _dir.Dispose();
    }

    /// <summary>1.0.0 was running; 2.0.0 is installed, current and on trial.</summary>
    private ReleaseLayout Installed()
    {
        var layout = _releases.Root(_dir.File("root"));
        Assert.IsType<InstallOutcome.Installed>(new ReleaseInstaller(layout, _releases.PublicKey, "1.0.0").Install(_releases.Manifest("2.0.0"), _releases.BundlePath));
        return layout;
    }
}
