using System.Reflection;
using Logistics.LockerLink;

namespace Logistics.Lockers.Host.Board;

/// <summary>The running board program's version, as the hello reports it.</summary>
public static class BoardVersion
{
    /// <summary>The release manifest an installed release keeps beside its executable.</summary>
    public const string ManifestFile = "release.json";

    /// <summary>
    /// The version of the signed manifest beside the executable (a program installed from a release bundle), else the
    /// assembly's informational version (a build or a plain publish: <c>-p:Version=…</c>).
    /// </summary>
    public static string Current { get; } = Read(AppContext.BaseDirectory);

    public static string Read(string programDirectory)
    {
        var manifest = Path.Combine(programDirectory, ManifestFile);
        if (File.Exists(manifest))
        {
            return SignedRelease.Read(File.ReadAllText(manifest)).Manifest.Version;
        }

        var version = typeof(BoardVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
