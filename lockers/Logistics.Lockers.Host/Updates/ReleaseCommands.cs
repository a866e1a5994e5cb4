using Logistics.LockerLink;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Configuration;

namespace Logistics.Lockers.Host.Updates;

/// <summary>
/// The release commands of the board program:
/// <c>release-pack --key RELEASE.pem --version V --runtime linux-arm64 --from PUBLISH_DIR --out OUT_DIR</c> (on the
/// release manager's machine) and
/// <c>install-release --root /opt/logistics-locker --release-key PUBLIC.pem --manifest manifest.json --bundle bundle.tar.gz</c>
/// (on a board, e.g. from a USB stick; the link's <c>installRelease</c> command does the same from the core) and
/// <c>rollback --root /opt/logistics-locker</c> (back from a release on trial; the service's OnFailure= runs it). With
/// <c>LOCKER_UPDATE_STEPS=pause</c> the install prints <c>step NAME</c> after each durable step and waits for a line on
/// standard input: the power-cut test kills it there.
/// </summary>
internal static class ReleaseCommands
{
    public static int Pack(string[] args)
    {
        var o = Options(args);
        using var key = Keys.LoadPrivate(o["--key"]);
        var signed = ReleasePacker.Pack(o["--from"], o["--out"], o["--version"], o["--runtime"], key);
        Console.WriteLine($"{signed.Manifest.Version} {signed.Manifest.Runtime} {signed.Manifest.BundleBytes} bytes sha256 {signed.Manifest.BundleSha256}");
        return 0;
    }

    public static int Install(string[] args)
    {
        var o = Options(args);
        var pause = Environment.GetEnvironmentVariable("LOCKER_UPDATE_STEPS") == "pause";
        using var key = Keys.LoadPublic(o["--release-key"]);
        var layout = new ReleaseLayout(o["--root"]);
        var running = layout.CurrentVersion ?? BoardVersion.Current;
        var installer = new ReleaseInstaller(layout, key, running, o.GetValueOrDefault("--runtime"))
        {
            Step = step =>
            {
                Console.WriteLine($"step {step}");
                Console.Out.Flush();
                if (pause)
                {
                    Console.ReadLine();
                }
            },
        };
        switch (installer.Install(SignedRelease.Read(File.ReadAllText(o["--manifest"])), o["--bundle"]))
        {
            case InstallOutcome.Installed installed:
                Console.WriteLine($"installed {installed.ToVersion} (was {installed.FromVersion}); restart the service to run it");
                return 0;
            case InstallOutcome.Refused refused:
                Console.Error.WriteLine($"refused {refused.Version}: {refused.Reason}");
                return 1;
            default:
                return 1;
        }
    }

    /// <summary><c>rollback --root R</c>: back from the release on trial, if any (systemd's OnFailure= runs it).</summary>
    public static int RollBack(string[] args)
    {
        var o = Options(args);
        var rolledBack = UpdateGuard.RollBackTrial(new ReleaseLayout(o["--root"]), "failed to start under systemd", Console.WriteLine);
        Console.WriteLine(rolledBack ? "rolled back" : "no release on trial");
        return 0;
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        return options;
    }
}
