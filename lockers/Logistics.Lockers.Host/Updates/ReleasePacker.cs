using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Logistics.LockerLink;

namespace Logistics.Lockers.Host.Updates;

/// <summary>
/// Makes a release from a published board program (<c>release-pack</c>), on the release manager's machine, where the
/// release key is: <c>bundle.tar.gz</c> (the folder's files) and <c>manifest.json</c> (the signed manifest), the two
/// files the core stores and serves unchanged.
/// </summary>
public static class ReleasePacker
{
    public const string EntryPoint = "Logistics.Lockers.Host";

    public static SignedRelease Pack(string publishFolder, string outFolder, string version, string runtime, ECDsa releaseKey, string entryPoint = EntryPoint)
    {
        Directory.CreateDirectory(outFolder);
        var bundlePath = Path.Combine(outFolder, "bundle.tar.gz");
        using (var bundle = File.Create(bundlePath))
        using (var gzip = new GZipStream(bundle, CompressionLevel.Fastest))
        {
            TarFile.CreateFromDirectory(publishFolder, gzip, includeBaseDirectory: false);
        }

        string sha;
        using (var bundle = File.OpenRead(bundlePath))
        {
            sha = Convert.ToHexStringLower(SHA256.HashData(bundle));
        }

        var manifest = new ReleaseManifest(ReleaseManifest.LockerProduct, version, runtime, entryPoint, sha, new FileInfo(bundlePath).Length, DateTimeOffset.UtcNow);
        var signed = SignedRelease.Sign(manifest, releaseKey);
        File.WriteAllText(Path.Combine(outFolder, "manifest.json"), signed.ToJson());
        return signed;
    }
}
