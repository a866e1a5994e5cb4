using System.Security.Cryptography;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Updates;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Updates;

public sealed class ReleaseInstallerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Releases _releases = new();

    [Fact]
    public void ABundleWithABadSignatureIsRefusedAndNothingChanges()
    {
        var layout = _releases.Root(_dir.File("root"));
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var installer = new ReleaseInstaller(layout, _releases.PublicKey, "1.0.0");

        var forged = Assert.IsType<InstallOutcome.Refused>(installer.Install(_releases.Manifest("2.0.0", signer: stranger), _releases.BundlePath));
        var signedThenEdited = _releases.Manifest("2.0.0") with { Manifest = _releases.Manifest("2.0.0").Manifest with { Version = "6.6.6" } };
        var edited = Assert.IsType<InstallOutcome.Refused>(installer.Install(signedThenEdited, _releases.BundlePath));
        var otherBoard = Assert.IsType<InstallOutcome.Refused>(installer.Install(_releases.Manifest("2.0.0", runtime: "win-x86"), _releases.BundlePath));

        Assert.Equal("the manifest is not signed by the release key", forged.Reason);
        Assert.Equal("the manifest is not signed by the release key", edited.Reason);
        Assert.Contains("win-x86", otherBoard.Reason, StringComparison.Ordinal);
        AssertUntouched(layout);
    }

    [Fact]
    public void ABundleThatIsNotTheSignedOneIsRefused()
    {
        var layout = _releases.Root(_dir.File("root"));
        var tampered = _dir.File("tampered.tar.gz");
        var bytes = File.ReadAllBytes(_releases.BundlePath);
        bytes[^10] ^= 0x40;
        File.WriteAllBytes(tampered, bytes);

        var refused = Assert.IsType<InstallOutcome.Refused>(new ReleaseInstaller(layout, _releases.PublicKey, "1.0.0").Install(_releases.Manifest("2.0.0"), tampered));

        Assert.Equal("the bundle's SHA-256 does not match the manifest", refused.Reason);
        AssertUntouched(layout);
    }

    [Fact]
    public void AGoodBundleIsInstalledBesideTheRunningVersionAndPutOnTrial()
    {
        var layout = _releases.Root(_dir.File("root"));
        var steps = new List<string>();

        var installed = new ReleaseInstaller(layout, _releases.PublicKey, "1.0.0") { Step = steps.Add }.Install(_releases.Manifest("2.0.0"), _releases.BundlePath);

        Assert.Equal(new InstallOutcome.Installed("1.0.0", "2.0.0"), installed);
        Assert.Equal(["verified", "extracted", "placed", "trial-recorded", "previous-linked", "switched"], steps);
        Assert.Equal(("2.0.0", "1.0.0"), (layout.CurrentVersion, layout.PreviousVersion));
        Assert.Equal("2.0.0", BoardVersion.Read(layout.Current));
        Assert.Equal("1.0.0", BoardVersion.Read(layout.Previous));
        Assert.Equal("part", File.ReadAllText(Path.Combine(layout.Current, "lib", "part.dll")));
        Assert.Equal(new TrialRecord("2.0.0", "1.0.0", 0, default), ReleaseLayout.Read<TrialRecord>(layout.TrialFile)! with { InstalledAt = default });
    }

    public void Dispose()
    {
        _releases.Dispose();
        _dir.Dispose();
    }

    private static void AssertUntouched(ReleaseLayout layout)
    {
        Assert.Equal("1.0.0", layout.CurrentVersion);
        Assert.Equal(["1.0.0"], Directory.GetDirectories(layout.Versions).Select(Path.GetFileName));
        Assert.False(File.Exists(layout.TrialFile));
        Assert.Null(layout.PreviousVersion);
    }
}
