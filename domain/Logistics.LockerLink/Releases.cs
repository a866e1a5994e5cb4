using System.Security.Cryptography;
using System.Text.Json;

namespace Logistics.LockerLink;

/// <summary>
/// One release of the board program: <c>bundle.tar.gz</c> (the published program's files, gzip tar, the executable
/// <see cref="EntryPoint"/> at its root) described by this manifest. The bundle is trusted through the manifest only:
/// its SHA-256 and length must match. <see cref="Runtime"/> is the .NET runtime identifier (<c>linux-arm64</c>).
/// </summary>
public sealed record ReleaseManifest(string Product, string Version, string Runtime, string EntryPoint, string BundleSha256, long BundleBytes, DateTimeOffset CreatedAt)
{
    public const string LockerProduct = "logistics-locker";
}

/// <summary>
/// A manifest and the release key's ECDSA P-256 signature (SHA-256, IEEE P1363 r‖s, base64) over
/// <see cref="CanonicalForm.Of(ReleaseManifest)"/>. The release key is kept off the core: the core only stores and
/// serves signed releases, so a compromised core cannot make a board run a program of its own. Served as
/// <c>GET {coreUrl}/api/lockers/releases/{version}/manifest.json</c> (this record as JSON, <see cref="LinkJson.Options"/>)
/// beside <c>GET {coreUrl}/api/lockers/releases/{version}/bundle.tar.gz</c>.
/// </summary>
public sealed record SignedRelease(ReleaseManifest Manifest, string Signature)
{
    public static string ManifestPath(string version) => $"api/lockers/releases/{Uri.EscapeDataString(version)}/manifest.json";

    public static string BundlePath(string version) => $"api/lockers/releases/{Uri.EscapeDataString(version)}/bundle.tar.gz";

    public static SignedRelease Sign(ReleaseManifest manifest, ECDsa releaseKey) =>
        new(manifest, Convert.ToBase64String(releaseKey.SignData(CanonicalForm.Of(manifest), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)));

    public static SignedRelease Read(string json) =>
        JsonSerializer.Deserialize<SignedRelease>(json, LinkJson.Options) ?? throw new JsonException("Empty release manifest.");

    public bool IsSignedBy(ECDsa releasePublicKey)
    {
        try
        {
            return releasePublicKey.VerifyData(CanonicalForm.Of(Manifest), Convert.FromBase64String(Signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, LinkJson.Options);
}
