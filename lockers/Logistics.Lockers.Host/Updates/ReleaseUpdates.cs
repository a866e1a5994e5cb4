using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Host.Controller;

namespace Logistics.Lockers.Host.Updates;

/// <summary>
/// The <c>installRelease</c> command's work, in the background: fetch the signed manifest and the bundle from the
/// core (<see cref="SignedRelease.ManifestPath"/>, <see cref="SignedRelease.BundlePath"/>), install beside the running
/// version (<see cref="ReleaseInstaller"/>), journal the outcome, and ask for a restart into the new version.
/// </summary>
public sealed class ReleaseUpdates(ReleaseLayout layout, ECDsa releaseKey, string running, Uri? coreUrl, LockerController controller, Action restart, Action<string> log, HttpMessageHandler? handler = null) : IReleaseUpdates, IDisposable
{
    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = TimeSpan.FromMinutes(10) };
    private int _busy;

    /// <summary>Completes when the last install started has ended (for tests and an orderly stop).</summary>
    public Task Running { get; private set; } = Task.CompletedTask;

    public string? CannotInstall(string version) =>
        coreUrl is null ? "no core to fetch the release from"
        : version == running ? $"{version} is the running version"
        : File.Exists(layout.TrialFile) ? "a release is on trial"
        : Volatile.Read(ref _busy) != 0 ? "an installation is under way"
        : null;

    public void Begin(string version)
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            return;
        }

        Running = Task.Run(async () =>
        {
            try
            {
                await InstallAsync(version, CancellationToken.None);
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        });
    }

    public async Task<InstallOutcome> InstallAsync(string version, CancellationToken cancellationToken)
    {
        InstallOutcome outcome;
        try
        {
            Directory.CreateDirectory(layout.Incoming);
            var manifestJson = await _http.GetStringAsync(new Uri(coreUrl!, SignedRelease.ManifestPath(version)), cancellationToken);
            var release = SignedRelease.Read(manifestJson);
            if (release.Manifest.Version != version)
            {
                outcome = new InstallOutcome.Refused(version, $"the core served the manifest of {release.Manifest.Version}");
            }
            else
            {
                var bundlePath = Path.Combine(layout.Incoming, $"{Guid.NewGuid():N}.tar.gz");
                await using (var bundle = new FileStream(bundlePath, FileMode.CreateNew, FileAccess.Write))
                await using (var body = await _http.GetStreamAsync(new Uri(coreUrl!, SignedRelease.BundlePath(version)), cancellationToken))
                {
                    await body.CopyToAsync(bundle, cancellationToken);
                }

                try
                {
                    outcome = new ReleaseInstaller(layout, releaseKey, running).Install(release, bundlePath);
                }
                finally
                {
                    File.Delete(bundlePath);
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException or InvalidDataException or UnauthorizedAccessException)
        {
            outcome = new InstallOutcome.Refused(version, $"could not fetch or unpack it: {e.Message}");
        }

        switch (outcome)
        {
            case InstallOutcome.Installed installed:
                controller.RecordUpdate(new DevicePayload.UpdateInstalled(installed.FromVersion, installed.ToVersion));
                log($"release {installed.ToVersion} installed: restarting into it");
                restart();
                break;
            case InstallOutcome.Refused refused:
                controller.RecordUpdate(new DevicePayload.UpdateRefused(refused.Version, refused.Reason));
                log($"release {refused.Version} refused: {refused.Reason}");
                break;
        }

        return outcome;
    }

    public void Dispose() => _http.Dispose();
}
