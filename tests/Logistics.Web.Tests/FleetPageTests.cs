using System.Security.Cryptography;
using System.Text;
using Logistics.Api.Hosting;
using Logistics.LockerLink;
using Logistics.Testing.Core;
using Logistics.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Logistics.Web.Tests;

/// <summary>
/// Fleet updates in the operator's console: a release signed by another key is refused with the reason, the signed
/// one is published, and the operator asks a locker to install it; the locker's row says the release is requested.
/// (The board's side, from the download to the new version's hello or its rollback, is in the lockers' end-to-end tests.)
/// </summary>
public sealed class FleetPageTests : BrowserTest
{
    private readonly ECDsa _releaseKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    protected override Func<LogisticsOptions, LogisticsOptions>? Configure => o => o with { ReleasePublicKey = _releaseKey.ExportSubjectPublicKeyInfoPem() };

    [Fact]
    public async Task AnOperatorPublishesASignedReleaseAndAsksALockerToInstallIt()
    {
        var compartments = Enumerable.Range(1, 4).Select(n => new { number = n, size = "S", lowHeight = false });
        var locker = await Server.RegisterAsync("/api/lockers", new { name = "Consigne Mairie", address = "Place de la Mairie", latitude = 47.4124, longitude = 0.9835, compartments });
        var bundle = RandomNumberGenerator.GetBytes(4096);
        var manifest = new ReleaseManifest(ReleaseManifest.LockerProduct, "2.1.0", "linux-arm64", "Logistics.Lockers.Host", Convert.ToHexStringLower(SHA256.HashData(bundle)), bundle.Length, DateTimeOffset.UtcNow);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var console = await Chromium.OpenAsync(Server.BaseAddress, "/operator", Browser.Desktop);
        await Browser.SignInAsync(console, TestCore.OperatorKey);
        await Expect(console.Locator($"#fleet tr.fleet-entry[data-locker='{locker.Id}']")).ToBeVisibleAsync();
        await console.ClickAsync("#fleet details.fleet-publish summary");

        await PublishAsync(console, SignedRelease.Sign(manifest, stranger), bundle);
        await Expect(console.Locator("#fleet [data-fleet-message]")).ToHaveTextAsync("Le manifeste n’est pas signé par la clé des versions : aucune consigne ne l’installerait.");

        await PublishAsync(console, SignedRelease.Sign(manifest, _releaseKey), bundle);
        await Expect(console.Locator("#fleet [data-fleet-message]")).ToHaveTextAsync("Version 2.1.0 publiée.");

        await console.SelectOptionAsync("#fleet select[name=version]", "2.1.0");
        await console.SelectOptionAsync("#fleet select[name=locker]", locker.Id);
        await console.ClickAsync("#fleet form.fleet-install button[type=submit]");
        await Expect(console.Locator("#fleet [data-fleet-message]")).ToHaveTextAsync("Version 2.1.0 demandée à 1 consigne(s).");
        var row = console.Locator($"#fleet tr.fleet-entry[data-locker='{locker.Id}']");
        await Expect(row).ToHaveAttributeAsync("data-state", "requested");
        await Expect(row).ToContainTextAsync("2.1.0 demandée");
        await Browser.ScreenshotAsync(console, "operator-fleet");
    }

    private static async Task PublishAsync(IPage page, SignedRelease release, byte[] bundle)
    {
        await page.SetInputFilesAsync("#fleet input[name=manifest]", new FilePayload { Name = "manifest.json", MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes(release.ToJson()) });
        await page.SetInputFilesAsync("#fleet input[name=bundle]", new FilePayload { Name = "bundle.tar.gz", MimeType = "application/gzip", Buffer = bundle });
        await page.ClickAsync("#fleet .fleet-publish button[type=submit]");
    }
}
