using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Host.Updates;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Updates;

/// <summary>
/// Releases for tests: a program folder packed once into a bundle, manifests for any version signed by the release
/// key (or another), and an install root with version 1.0.0 current, as a board has after its first install.
/// </summary>
internal sealed class Releases : IDisposable
{
    private readonly TempDirectory _dir = new();

    /// <param name="program">The folder to release (default: a two-file stand-in).</param>
    public Releases(string? program = null)
    {
        if (program is null)
        {
            program = _dir.File("program");
            Directory.CreateDirectory(Path.Combine(program, "lib"));
            File.WriteAllText(Path.Combine(program, ReleasePacker.EntryPoint), "#!/bin/sh\necho stand-in\n");
            File.WriteAllText(Path.Combine(program, "lib", "part.dll"), "part");
        }

        ReleasePacker.Pack(program, _dir.File("packed"), "0.0.0", Runtime, Key);
        BundlePath = _dir.File("packed/bundle.tar.gz");
    }

    public static string Runtime => RuntimeInformation.RuntimeIdentifier;

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ECDsa PublicKey => Key;

    public string BundlePath { get; }

    public string KeyPem(string file)
    {
        File.WriteAllText(file, Key.ExportSubjectPublicKeyInfoPem());
        return file;
    }

    /// <summary>The packed bundle's manifest for <paramref name="version"/>, signed by <paramref name="signer"/> (the release key by default).</summary>
    public SignedRelease Manifest(string version, ECDsa? signer = null, string? runtime = null)
    {
        var packed = SignedRelease.Read(File.ReadAllText(_dir.File("packed/manifest.json"))).Manifest;
        return SignedRelease.Sign(packed with { Version = version, Runtime = runtime ?? Runtime }, signer ?? Key);
    }

    /// <summary>A root with 1.0.0 installed and current, nothing on trial.</summary>
    public ReleaseLayout Root(string path)
    {
        var layout = new ReleaseLayout(path);
        var installed = new ReleaseInstaller(layout, Key, "none").Install(Manifest("1.0.0"), BundlePath);
        Assert.IsType<InstallOutcome.Installed>(installed);
        File.Delete(layout.TrialFile);
        File.Delete(layout.Previous);
        return layout;
    }

    public void Dispose()
    {
        Key.Dispose();
        _dir.Dispose();
    }
}
