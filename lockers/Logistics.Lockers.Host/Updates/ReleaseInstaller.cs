using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Host.Board;

namespace Logistics.Lockers.Host.Updates;

/// <summary>What became of a release bundle.</summary>
public abstract record InstallOutcome
{
    private InstallOutcome()
    {
    }

    /// <summary>Installed and made current; the board must restart into it.</summary>
    public sealed record Installed(string FromVersion, string ToVersion) : InstallOutcome;

    /// <summary>Nothing was changed: the bundle is not one this board may run.</summary>
    public sealed record Refused(string Version, string Reason) : InstallOutcome;
}

/// <summary>
/// Checks a release bundle against its signed manifest and installs it beside the running version, each step
/// durable before the next, so that a power cut at any point leaves a board that starts one complete version:
/// <list type="number">
/// <item><c>verified</c>: the release key signed the manifest; product, runtime, length and SHA-256 of the bundle match.</item>
/// <item><c>extracted</c>: the files are in <c>versions/.{version}.partial</c>, fsynced, the manifest last.</item>
/// <item><c>placed</c>: renamed to <c>versions/{version}</c> (a complete folder or none).</item>
/// <item><c>trial-recorded</c>: <c>trial.json</c> says which version is on trial and which to go back to.</item>
/// <item><c>previous-linked</c>: <c>previous</c> points at the running version.</item>
/// <item><c>switched</c>: <c>current</c> points at the new version. The next start runs it.</item>
/// </list>
/// </summary>
public sealed class ReleaseInstaller(ReleaseLayout layout, ECDsa releaseKey, string runningVersion, string? runtime = null)
{
    private readonly string _runtime = runtime ?? RuntimeInformation.RuntimeIdentifier;

    /// <summary>Called as each step is done (tests pause or kill the program there).</summary>
    public Action<string> Step { get; init; } = _ => { };

    public InstallOutcome Install(SignedRelease release, string bundlePath)
    {
        var manifest = release.Manifest;
        if (Refusal(release, bundlePath) is { } reason)
        {
            return new InstallOutcome.Refused(manifest.Version, reason);
        }

        Step("verified");
        Directory.CreateDirectory(layout.Versions);
        var target = layout.VersionFolder(manifest.Version);
        if (!IsComplete(target, release))
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            var partial = Path.Combine(layout.Versions, $".{manifest.Version}.partial");
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }

            Directory.CreateDirectory(partial);
            using (var bundle = File.OpenRead(bundlePath))
            using (var gzip = new GZipStream(bundle, CompressionMode.Decompress))
            {
                TarFile.ExtractToDirectory(gzip, partial, overwriteFiles: false);
            }

            if (!File.Exists(Path.Combine(partial, manifest.EntryPoint)))
            {
                Directory.Delete(partial, recursive: true);
                return new InstallOutcome.Refused(manifest.Version, $"the bundle has no {manifest.EntryPoint}");
            }

            SyncTree(partial);
            using (var file = new FileStream(Path.Combine(partial, BoardVersion.ManifestFile), FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(System.Text.Encoding.UTF8.GetBytes(release.ToJson()));
                file.Flush(flushToDisk: true);
            }

            ReleaseLayout.SyncFolder(partial);
            Step("extracted");
            ReleaseLayout.Rename(partial, target);
            ReleaseLayout.SyncFolder(layout.Versions);
        }

        Step("placed");
        ReleaseLayout.Write(layout.TrialFile, new TrialRecord(manifest.Version, runningVersion, 0, DateTimeOffset.UtcNow));
        Step("trial-recorded");
        layout.Link(layout.Previous, runningVersion);
        Step("previous-linked");
        layout.Link(layout.Current, manifest.Version);
        Step("switched");
        return new InstallOutcome.Installed(runningVersion, manifest.Version);
    }

    /// <summary>Why this bundle must not be installed, or null.</summary>
    public string? Refusal(SignedRelease release, string bundlePath)
    {
        var manifest = release.Manifest;
        if (!release.IsSignedBy(releaseKey))
        {
            return "the manifest is not signed by the release key";
        }

        if (manifest.Product != ReleaseManifest.LockerProduct || manifest.Runtime != _runtime)
        {
            return $"the release is {manifest.Product} for {manifest.Runtime}, this board runs {ReleaseManifest.LockerProduct} on {_runtime}";
        }

        if (manifest.Version == runningVersion)
        {
            return $"{manifest.Version} is the running version";
        }

        if (manifest.Version.IndexOfAny(['/', '\\']) >= 0 || manifest.Version is "" or "." or ".." || manifest.EntryPoint.Contains("..", StringComparison.Ordinal))
        {
            return "the manifest names an unsafe path";
        }

        var bundle = new FileInfo(bundlePath);
        if (!bundle.Exists || bundle.Length != manifest.BundleBytes)
        {
            return "the bundle's length does not match the manifest";
        }

        using var stream = bundle.OpenRead();
        return string.Equals(Convert.ToHexStringLower(SHA256.HashData(stream)), manifest.BundleSha256, StringComparison.OrdinalIgnoreCase)
            ? null
            : "the bundle's SHA-256 does not match the manifest";
    }

    /// <summary>A version folder an earlier, interrupted install already placed (renamed only once complete).</summary>
    private static bool IsComplete(string folder, SignedRelease release)
    {
        var manifest = Path.Combine(folder, BoardVersion.ManifestFile);
        return File.Exists(manifest) && SignedRelease.Read(File.ReadAllText(manifest)) == release;
    }

    private static void SyncTree(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.FlushToDisk(handle);
        }

        foreach (var sub in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).Reverse())
        {
            ReleaseLayout.SyncFolder(sub);
        }

        ReleaseLayout.SyncFolder(folder);
    }
}
