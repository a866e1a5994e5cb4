using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Logistics.LockerLink;
using Logistics.Lockers.E2E.Tests.Support;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Link;
using Logistics.Lockers.Host.Updates;
using Logistics.Testing;
using Logistics.Testing.Core;

namespace Logistics.Lockers.E2E.Tests.Journeys;

/// <summary>
/// A fleet update from the operator's console to the board and back, with the real core and the real board program:
/// the operator publishes a release signed with the release key (a badly signed or tampered one is refused), asks the
/// locker's board to install it; the board downloads it from the core, installs it beside the running version and
/// restarts into it, and the fleet list shows the new version once it says hello. A release that cannot reach the
/// core is rolled back by the board, and the fleet list says so with the board's reason.
/// </summary>
public sealed class FleetUpdateTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("fleet");
    private readonly ECDsa _releaseKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private TestCore _core = null!;
    private TestNetwork _net = null!;

    public async Task InitializeAsync()
    {
        _core = await TestCore.StartAsync(realClock: true, backgroundWork: true, configure: o => o with { ReleasePublicKey = _releaseKey.ExportSubjectPublicKeyInfoPem() });
        _net = await TestNetwork.CreateAsync(_core);
    }

    [Fact]
    public async Task APublishedReleaseIsInstalledByTheBoardAndOneThatCannotReachTheCoreIsRolledBack()
    {
        // The release manager packs and signs, off the core.
        var program = _dir.File("program");
        Directory.CreateDirectory(program);
        File.WriteAllText(Path.Combine(program, ReleasePacker.EntryPoint), "#!/bin/sh\nexit 0\n");
        var runtime = RuntimeInformation.RuntimeIdentifier;
        ReleasePacker.Pack(program, _dir.File("1.0.0"), "1.0.0", runtime, _releaseKey);
        ReleasePacker.Pack(program, _dir.File("2.1.0"), "2.1.0", runtime, _releaseKey);
        File.WriteAllText(Path.Combine(program, "notes.txt"), "2.2.0");
        ReleasePacker.Pack(program, _dir.File("2.2.0"), "2.2.0", runtime, _releaseKey);
        using (var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            ReleasePacker.Pack(program, _dir.File("forged"), "2.3.0", runtime, stranger);
        }

        // The core refuses what no board would install, and takes the real one once.
        var badSignature = await PublishAsync(_dir.File("forged/manifest.json"), _dir.File("forged/bundle.tar.gz"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badSignature.StatusCode);
        Assert.Contains("release.signature", await badSignature.Content.ReadAsStringAsync());
        var tampered = await PublishAsync(_dir.File("2.1.0/manifest.json"), _dir.File("2.2.0/bundle.tar.gz"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tampered.StatusCode);
        Assert.Contains("release.bundle", await tampered.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, (await PublishAsync(_dir.File("2.1.0/manifest.json"), _dir.File("2.1.0/bundle.tar.gz"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PublishAsync(_dir.File("2.1.0/manifest.json"), _dir.File("2.1.0/bundle.tar.gz"))).StatusCode);
        var releases = await TestCore.ReadAsync<JsonElement>(await _core.Operator().GetAsync("/api/lockers/releases"));
        Assert.Equal(["2.1.0"], releases.EnumerateArray().Select(r => r.GetProperty("version").GetString()));

        // Anyone may download a release (it is trusted through its signature): the bytes published, unchanged.
        using var anonymous = _core.Client();
        Assert.Equal(await File.ReadAllBytesAsync(_dir.File("2.1.0/bundle.tar.gz")), await anonymous.GetByteArrayAsync("/api/lockers/releases/2.1.0/bundle.tar.gz"));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/lockers/releases/9.9.9/manifest.json")).StatusCode);

        // A board as installed in the field: 1.0.0 current, the release key's public half beside it.
        var update = new UpdateConfig { Root = _dir.File("root"), ReleasePublicKeyPath = _dir.File("release-public.pem"), ConfirmWithinSeconds = 6 };
        File.WriteAllText(update.ReleasePublicKeyPath, _releaseKey.ExportSubjectPublicKeyInfoPem());
        var layout = new ReleaseLayout(update.Root);
        Assert.IsType<InstallOutcome.Installed>(new ReleaseInstaller(layout, _releaseKey, "none").Install(SignedRelease.Read(File.ReadAllText(_dir.File("1.0.0/manifest.json"))), _dir.File("1.0.0/bundle.tar.gz")));
        File.Delete(layout.TrialFile);
        File.Delete(layout.Previous);
        var boardFolder = _dir.File("board");

        await using (var board = await InProcessBoard.StartAsync(_net, folder: boardFolder, version: "1.0.0", update: update))
        {
            await Wait.UntilAsync(async () => (await FleetAsync()).GetProperty("programVersion").GetString() == "1.0.0", "the board's version in the fleet list");

            // Another network's operator cannot touch this board, nor see it.
            var otherNetwork = _core.Client(await _core.CreateNetworkAsync("other", "Other town"));
            Assert.Equal(HttpStatusCode.NotFound, (await otherNetwork.PostJsonAsync($"/api/lockers/{_net.LockerId}/install-release", new { version = "2.1.0" })).StatusCode);
            Assert.DoesNotContain(_net.LockerId, (await FleetOfAsync(otherNetwork)).Select(e => e.GetProperty("lockerId").GetString()));
            var unknown = await _core.Operator().PostJsonAsync($"/api/lockers/{_net.LockerId}/install-release", new { version = "9.9.9" });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);

            Assert.Equal(HttpStatusCode.Accepted, (await _core.Operator().PostJsonAsync($"/api/lockers/{_net.LockerId}/install-release", new { version = "2.1.0" })).StatusCode);
            await board.App.RestartRequested.WaitAsync(TimeSpan.FromSeconds(30));
            await board.DrainedAsync();
            Assert.Equal(("2.1.0", "1.0.0"), (layout.CurrentVersion, layout.PreviousVersion));
            var installed = await FleetAsync();
            Assert.Equal(("1.0.0", "2.1.0", "installed"), (installed.GetProperty("programVersion").GetString(), installed.GetProperty("updateVersion").GetString(), installed.GetProperty("updateState").GetString()));
        }

        // systemd starts current: the new version says hello, and keeps itself.
        await using (var board = await InProcessBoard.StartAsync(_net, folder: boardFolder, version: "2.1.0", update: update))
        {
            await Wait.UntilAsync(async () => (await FleetAsync()).GetProperty("updateState").GetString() == "updated", "the new version to reach the core");
            Assert.Equal("2.1.0", (await FleetAsync()).GetProperty("programVersion").GetString());
            await Wait.UntilAsync(() => !File.Exists(layout.TrialFile), "the board to keep the new version");

            Assert.Equal(HttpStatusCode.Created, (await PublishAsync(_dir.File("2.2.0/manifest.json"), _dir.File("2.2.0/bundle.tar.gz"))).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await _core.Operator().PostJsonAsync($"/api/lockers/{_net.LockerId}/install-release", new { version = "2.2.0" })).StatusCode);
            await board.App.RestartRequested.WaitAsync(TimeSpan.FromSeconds(30));
            await board.DrainedAsync();
        }

        // 2.2.0 cannot reach the core (here: nothing listens where it looks): past its deadline it goes back by itself.
        await using (var board = await InProcessBoard.StartAsync(_net, coreUrl: new Uri($"http://127.0.0.1:{Loopback.FreePort()}"), folder: boardFolder, version: "2.2.0", update: update))
        {
            await board.App.RestartRequested.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotEqual(LinkState.Online, board.Link.State);
        }

        Assert.Equal("2.1.0", layout.CurrentVersion);
        await using (var board = await InProcessBoard.StartAsync(_net, folder: boardFolder, version: "2.1.0", update: update))
        {
            await Wait.UntilAsync(async () => (await FleetAsync()).GetProperty("updateState").GetString() == "rolledBack", "the rollback to be reported");
            var rolledBack = await FleetAsync();
            Assert.Equal(("2.1.0", "2.2.0"), (rolledBack.GetProperty("programVersion").GetString(), rolledBack.GetProperty("updateVersion").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(rolledBack.GetProperty("updateDetail").GetString()));
        }
    }

    private async Task<HttpResponseMessage> PublishAsync(string manifest, string bundle)
    {
        using var form = new MultipartFormDataContent();
        var manifestPart = new ByteArrayContent(await File.ReadAllBytesAsync(manifest));
        manifestPart.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(manifestPart, "manifest", "manifest.json");
        var bundlePart = new ByteArrayContent(await File.ReadAllBytesAsync(bundle));
        bundlePart.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        form.Add(bundlePart, "bundle", "bundle.tar.gz");
        return await _core.Operator().PostAsync("/api/lockers/releases", form);
    }

    private async Task<JsonElement> FleetAsync() =>
        (await FleetOfAsync(_core.Operator())).Single(e => e.GetProperty("lockerId").GetString() == _net.LockerId);

    private static async Task<IReadOnlyList<JsonElement>> FleetOfAsync(HttpClient client) =>
        [.. (await TestCore.ReadAsync<JsonElement>(await client.GetAsync("/api/lockers/fleet"))).EnumerateArray()];

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        _releaseKey.Dispose();
        _dir.Dispose();
    }
}
