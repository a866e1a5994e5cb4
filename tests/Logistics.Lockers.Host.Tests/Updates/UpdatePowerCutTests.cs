using System.Diagnostics;
using Logistics.Lockers.Host.Updates;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Updates;

/// <summary>
/// The real board program's <c>install-release</c> killed with SIGKILL after each durable step, and at random moments:
/// the board then starts either the old or the new version (the program behind <c>current</c> runs and says which),
/// never a half-installed one, and installing again finishes the job.
/// </summary>
public sealed class UpdatePowerCutTests : IDisposable
{
    private static readonly string[] Steps = ["verified", "extracted", "placed", "trial-recorded", "previous-linked", "switched"];
    private readonly TempDirectory _dir = new();
    private readonly Releases _releases = new(AppContext.BaseDirectory);

    [Fact]
    public async Task AnUpdateCutAtEachStepLeavesABoardThatStartsEitherVersion()
    {
        var original = _releases.Root(_dir.File("original"));
        File.WriteAllText(_dir.File("manifest.json"), _releases.Manifest("2.0.0").ToJson());
        var key = _releases.KeyPem(_dir.File("release-public.pem"));

        foreach (var step in Steps)
        {
            var root = await CopyAsync(original, _dir.File($"cut-at-{step}"));
            using var install = Install(root, key, pause: true);
            while (await install.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line && line != $"step {step}")
            {
                Assert.StartsWith("step ", line, StringComparison.Ordinal);
                await install.StandardInput.WriteLineAsync();
                await install.StandardInput.FlushAsync();
            }

            install.Kill();
            await install.WaitForExitAsync();

            Assert.Equal(step == "switched" ? "2.0.0" : "1.0.0", await StartAsync(root));
            await ResumeAsync(root, key);
        }
    }

    [Fact]
    public async Task AnUpdateCutAtRandomMomentsLeavesABoardThatStartsEitherVersion()
    {
        var original = _releases.Root(_dir.File("original"));
        File.WriteAllText(_dir.File("manifest.json"), _releases.Manifest("2.0.0").ToJson());
        var key = _releases.KeyPem(_dir.File("release-public.pem"));
        var random = new Random(20261206);
        var seen = new HashSet<string>();

        for (var run = 0; run < 5; run++)
        {
            var root = await CopyAsync(original, _dir.File($"random-{run}"));
            using var install = Install(root, key, pause: false);
            await Task.Delay(random.Next(100, 1500));
            install.Kill();
            await install.WaitForExitAsync();

            var version = await StartAsync(root);
            Assert.Contains(version, new[] { "1.0.0", "2.0.0" });
            seen.Add(version);
            await ResumeAsync(root, key);
        }

        Assert.NotEmpty(seen);
    }

    public void Dispose()
    {
        _releases.Dispose();
        _dir.Dispose();
    }

    /// <summary>Installing again after the cut: 2.0.0 ends current (or already was, and is refused as the running version).</summary>
    private async Task ResumeAsync(ReleaseLayout root, string key)
    {
        using var again = Install(root, key, pause: false);
        await again.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal("2.0.0", await StartAsync(root));
        Assert.Equal("2.0.0", root.CurrentVersion);
    }

    private Process Install(ReleaseLayout root, string key, bool pause)
    {
        var start = Program("install-release", "--root", root.Root, "--release-key", key, "--manifest", _dir.File("manifest.json"), "--bundle", _releases.BundlePath);
        start.RedirectStandardInput = true;
        start.Environment["LOCKER_UPDATE_STEPS"] = pause ? "pause" : "run";
        return Process.Start(start)!;
    }

    /// <summary>What systemd would run: the program behind <c>current</c>; it must start and name its version.</summary>
    private static async Task<string> StartAsync(ReleaseLayout root)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root.Current, "Logistics.Lockers.Host.dll"));
        start.ArgumentList.Add("version");
        using var board = Process.Start(start)!;
        var output = await board.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await board.WaitForExitAsync();
        Assert.True(board.ExitCode == 0, await board.StandardError.ReadToEndAsync());
        return output.Trim();
    }

    private static ProcessStartInfo Program(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Logistics.Lockers.Host.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>A copy of a root; the installed version's files hard-linked (installs never write into an existing version folder).</summary>
    private static async Task<ReleaseLayout> CopyAsync(ReleaseLayout original, string to)
    {
        using var copy = Process.Start(new ProcessStartInfo("cp", ["-a", "-l", original.Root, to]) { UseShellExecute = false })!;
        await copy.WaitForExitAsync();
        Assert.Equal(0, copy.ExitCode);
        return new ReleaseLayout(to);
    }
}
