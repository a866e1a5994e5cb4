using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Host.Tests.Controller;
using Logistics.Lockers.Host.Updates;
using Logistics.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Logistics.Lockers.Host.Tests.Updates;

/// <summary>
/// The signed <c>installRelease</c> command: the board fetches the manifest and the bundle from the core's release
/// paths (a loopback stand-in serves them here), checks them, installs and asks for a restart, or refuses.
/// </summary>
public sealed class InstallReleaseCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly Releases _releases = new();
    private readonly ECDsa _coreKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private WebApplication _core = null!;
    private int _limited;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _core = builder.Build();
        _core.MapGet("/api/lockers/releases/{version}/manifest.json", (string version) =>
            Results.Text(_releases.Manifest(version, signer: version == "2.0.0" ? _stranger : null).ToJson(), "application/json"));
        _core.MapGet("/api/lockers/releases/{version}/bundle.tar.gz", (string version, HttpContext http) =>
        {
            // Release 5.0.0's bundle is refused once, as the core does past its downloads per address.
            if (version == "5.0.0" && Interlocked.Increment(ref _limited) == 1)
            {
                http.Response.Headers.RetryAfter = "1";
                return Results.StatusCode(StatusCodes.Status429TooManyRequests);
            }

            return Results.File(_releases.BundlePath, "application/gzip");
        });
        await _core.StartAsync();
    }

    [Fact]
    public async Task TheBoardRefusesABadSignatureThenInstallsAGoodReleaseAndAsksForARestart()
    {
        var layout = _releases.Root(_dir.File("root"));
        using var board = new ControllerHarness(_dir, new ManualTimeProvider(), _coreKey).Started();
        var restarts = 0;
        using var updates = new ReleaseUpdates(layout, _releases.PublicKey, "1.0.0", new Uri(_core.Urls.First() + "/"), board.Controller, () => restarts++, _ => { });
        board.Controller.Releases = updates;

        Assert.Equal(CommandStatus.Executed, board.Send(new CommandBody.InstallRelease("2.0.0")).Status);
        await updates.Running;
        Assert.Contains(board.Payloads(), p => p is DevicePayload.UpdateRefused { Version: "2.0.0", Reason: "the manifest is not signed by the release key" });
        Assert.Equal(("1.0.0", 0), (layout.CurrentVersion, restarts));

        Assert.Equal(CommandStatus.Executed, board.Send(new CommandBody.InstallRelease("3.0.0")).Status);
        await updates.Running;
        Assert.Contains(board.Payloads(), p => p is DevicePayload.UpdateInstalled { FromVersion: "1.0.0", ToVersion: "3.0.0" });
        Assert.Equal(("3.0.0", 1), (layout.CurrentVersion, restarts));

        var onTrial = board.Send(new CommandBody.InstallRelease("4.0.0"));
        Assert.Equal((CommandStatus.Refused, "a release is on trial"), (onTrial.Status, onTrial.Detail));
        Assert.Empty(Directory.EnumerateFiles(layout.Incoming));
    }

    [Fact]
    public async Task ABoardAskedToWaitForADownloadWaitsAndInstallsTheRelease()
    {
        var layout = _releases.Root(_dir.File("root"));
        using var board = new ControllerHarness(_dir, new ManualTimeProvider(), _coreKey).Started();
        var lines = new List<string>();
        using var updates = new ReleaseUpdates(layout, _releases.PublicKey, "1.0.0", new Uri(_core.Urls.First() + "/"), board.Controller, () => { }, line => { lock (lines) { lines.Add(line); } });

        var outcome = await updates.InstallAsync("5.0.0", CancellationToken.None);

        Assert.IsType<InstallOutcome.Installed>(outcome);
        Assert.Equal(2, _limited);
        Assert.Contains("the core limits downloads: trying again in 1 s", lines);
        Assert.Equal("5.0.0", layout.CurrentVersion);
    }

    [Fact]
    public void ABoardWithoutUpdatesRefusesTheCommand()
    {
        using var board = new ControllerHarness(_dir, new ManualTimeProvider(), _coreKey).Started();

        var result = board.Send(new CommandBody.InstallRelease("3.0.0"));

        Assert.Equal((CommandStatus.Refused, "fleet updates are not configured on this board"), (result.Status, result.Detail));
    }

    public async Task DisposeAsync()
    {
        await _core.StopAsync();
        await _core.DisposeAsync();
        _coreKey.Dispose();
        _stranger.Dispose();
        _releases.Dispose();
        _dir.Dispose();
    }
}
