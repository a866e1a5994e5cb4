using Logistics.Api.Auth;
using Logistics.Api.Infrastructure;
using Logistics.Application.Lockers;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.LockerLink;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;

namespace Logistics.Api.Lockers;

/// <summary>
/// Fleet updates: operators publish signed releases of the board program and ask lockers' boards to install one; the
/// boards download them here (anonymously: a release is public and trusted through its signature, which the board
/// checks against the release key it was installed with); the fleet lists each board's version and its last update.
/// </summary>
public static class ReleaseEndpoints
{
    public sealed record InstallInput(string? Version);

    /// <summary>The command queued for the board; the fleet list follows how it goes.</summary>
    public sealed record InstallQueued(string CommandId, string Version);

    private const string ReleasePath = "/api/lockers/releases/{version}";

    public static void MapReleaseEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/lockers/releases", async Task<Results<Created<ReleaseView>, Ok<ReleaseView>>> (HttpContext http, LockerReleases releases) =>
        {
            // A bundle is far larger than any other body: this endpoint's own limit, in the form reader too.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = UploadBytes;
            }

            if (!http.Request.HasFormContentType)
            {
                throw new Refusal("release.form-expected", RefusalKind.BadRequest, "A form is expected", "Send the release as multipart/form-data: manifest (manifest.json) and bundle (bundle.tar.gz).");
            }

            http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = UploadBytes }));
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            string? manifest = form["manifest"].FirstOrDefault();
            if (form.Files.GetFile("manifest") is { Length: > 0 and <= 64 * 1024 } manifestFile)
            {
                using var text = new StreamReader(manifestFile.OpenReadStream());
                manifest = await text.ReadToEndAsync(http.RequestAborted);
            }

            var bundle = form.Files.GetFile("bundle");
            new Validation()
                .Require(!string.IsNullOrWhiteSpace(manifest), "manifest", "release.manifest", "The signed manifest (manifest.json) is missing.")
                .Require(bundle is { Length: > 0 }, "bundle", "release.bundle", "The bundle (bundle.tar.gz) is missing.")
                .ThrowIfAny();
            await using var content = bundle!.OpenReadStream();
            var (published, release) = await releases.PublishAsync(manifest!, content, http.User.Subject(), http.RequestAborted);
            return published ? TypedResults.Created($"/api/lockers/releases/{Uri.EscapeDataString(release.Version)}/manifest.json", release) : TypedResults.Ok(release);
        })
            .Role(Roles.Operator, Roles.Federation)
            .WithMetadata(new BodyLimit(UploadBytes))
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The release as `release-pack` writes it: `manifest` (manifest.json, signed by the release key) and `bundle` (bundle.tar.gz).",
                    Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                    {
                        ["multipart/form-data"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
                    },
                };
                return Task.CompletedTask;
            })
            .WithTags("Fleet").WithName("publishRelease").Refuses(400, 409, 413, 422)
            .WithSummary("Publish a release of the board program (operator, federation): checked against the release key's public half, stored, served to the boards. The same release again answers 200; another bundle under a published version 409.");

        app.MapGet("/api/lockers/releases", async Task<Ok<IReadOnlyList<ReleaseView>>> (LockerReleases releases, CancellationToken cancellationToken) =>
            TypedResults.Ok(await releases.ListAsync(cancellationToken)))
            .Role(Roles.Operator, Roles.Federation).WithTags("Fleet").WithName("listReleases").WithSummary("The releases of the board program published, newest first (operator, federation).");

        app.MapGet(ReleasePath + "/manifest.json", async Task<ContentHttpResult> (string version, LockerReleases releases, CancellationToken cancellationToken) =>
            TypedResults.Text(await releases.ManifestAsync(version, cancellationToken) ?? throw Refusal.NotFound($"There is no release {version}."), "application/json"))
            .AllowAnonymous().RequireRateLimiting(RateLimits.ReleaseDownloads)
            .WithTags("Fleet").WithName("getReleaseManifest").Produces<SignedRelease>(StatusCodes.Status200OK).Refuses(404, 429)
            .WithSummary("A release's signed manifest, as published (the boards download it; anyone may: it is trusted through its signature).");

        app.MapGet(ReleasePath + "/bundle.tar.gz", async Task (string version, LockerReleases releases, HttpContext http) =>
        {
            var found = await releases.CopyBundleAsync(
                version,
                length =>
                {
                    http.Response.ContentType = "application/gzip";
                    http.Response.ContentLength = length;
                    return http.Response.Body;
                },
                http.RequestAborted);
            if (!found)
            {
                throw Refusal.NotFound($"There is no release {version}.");
            }
        })
            .AllowAnonymous().RequireRateLimiting(RateLimits.ReleaseDownloads)
            .WithTags("Fleet").WithName("getReleaseBundle").Produces(StatusCodes.Status200OK, contentType: "application/gzip").Refuses(404, 429)
            .WithSummary("A release's bundle (the boards download it and check it against the signed manifest).");

        app.MapPost("/api/lockers/{id}/install-release", async Task<Accepted<InstallQueued>> (string id, InstallInput input, LockerReleases releases, EventStreams streams, HttpContext http) =>
        {
            // Never another network's board: its locker is answered as unknown.
            await streams.RequireVisibleAsync(http, Deciders.Stream(new LockerId(id)), $"Locker {id} has no controller registered.");
            new Validation().NotBlank(input.Version, "version", "The release to install").ThrowIfAny();
            var commandId = await releases.RollOutAsync(new LockerId(id), input.Version!.Trim(), http.RequestAborted);
            return TypedResults.Accepted("/api/lockers/fleet", new InstallQueued(commandId, input.Version.Trim()));
        }).Role(Roles.Operator).WithTags("Fleet").WithName("installRelease").Refuses(404, 422)
            .WithSummary("Ask a locker's board to install a published release (operator): it downloads it, checks its signature, installs it beside the running version and restarts; it goes back by itself if the new version does not reach the core.");

        app.MapGet("/api/lockers/fleet", async Task<Ok<IReadOnlyList<FleetEntry>>> (LockerReleases releases, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(await releases.FleetAsync(http.User.Network(), cancellationToken)))
            .Role(Roles.Operator, Roles.Federation).WithTags("Fleet").WithName("listFleet")
            .WithSummary("Each locker's board program: the version it reported, the release it was asked to install and how that went (operator: its network; federation: all).");
    }

    /// <summary>The most a release upload may carry: the largest bundle, its manifest and the form's own bytes.</summary>
    private const long UploadBytes = LockerReleases.MaxBundleBytes + (1024 * 1024);

    /// <summary>An endpoint that takes bodies larger than <see cref="InputLimits.BodyBytes"/> (read by <see cref="InputGuard"/> and by routing).</summary>
    public sealed class BodyLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = bytes;
    }
}
