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
            string manifestJson;
            using (var manifest = await GetAsync(new Uri(coreUrl!, SignedRelease.ManifestPath(version)), cancellationToken))
            {
                manifestJson = await manifest.Content.ReadAsStringAsync(cancellationToken);
            }

            var release = SignedRelease.Read(manifestJson);
            if (release.Manifest.Version != version)
            {
                outcome = new InstallOutcome.Refused(version, $"the core served the manifest of {release.Manifest.Version}");
            }
            else
            {
                var bundlePath = Path.Combine(layout.Incoming, $"{Guid.NewGuid():N}.tar.gz");
                await using (var bundle = new FileStream(bundlePath, FileMode.CreateNew, FileAccess.Write))
                using (var response = await GetAsync(new Uri(coreUrl!, SignedRelease.BundlePath(version)), cancellationToken))
                {
                    await response.Content.CopyToAsync(bundle, cancellationToken);
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

    /// <summary>Tries a download this many times when the core asks the board to wait (429: it limits downloads per address).</summary>
    private const int Attempts = 4;

    /// <summary>The longest wait asked of the board that it honours before trying again.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A release file's response (headers read, body to stream), after waiting as long as the core asks when it limits
    /// downloads (several boards of a site share an address); any other failure is the caller's.
    /// </summary>
    private async Task<HttpResponseMessage> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && attempt < Attempts)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMinutes(1);
                response.Dispose();
                wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait;
                log($"the core limits downloads: trying again in {wait.TotalSeconds:F0} s");
                await Task.Delay(wait, cancellationToken);
                continue;
            }

            try
            {
                response.EnsureSuccessStatusCode();
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
