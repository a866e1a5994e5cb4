using Logistics.Api.Auth;
using Logistics.Api.Infrastructure;
using Logistics.Application.HomeBoxes;
using Logistics.Application.Streams;
using Logistics.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.HomeBoxes;

/// <summary>
/// Home boxes: the operator sets one up and lists them; the resident, in front of their box, pairs it with the code
/// printed on it and gives it up the same way (no account: the code is the proof, and guessing it is rate-limited).
/// </summary>
public static class HomeBoxEndpoints
{
    public static void MapHomeBoxEndpoints(this IEndpointRouteBuilder app)
    {
        var op = app.MapGroup("/api/home-boxes").WithTags("Operator").Role(Roles.Operator);

        op.MapPost("/", async Task<Created<ProvisionedHomeBox>> (HomeBoxInput input, Application.HomeBoxes.HomeBoxes boxes, HttpContext http) =>
        {
            var box = await boxes.ProvisionAsync(input, http.Context(), cancellationToken: http.RequestAborted);
            return TypedResults.Created($"/api/home-boxes/{box.BoxId}", box);
        }).WithName("provisionHomeBox").Refuses(409, 422)
            .WithSummary("Set up a home box (a one-compartment locker) and issue its board's key and the pairing code to print on it (both shown once).");

        op.MapGet("/", async Task<Ok<IReadOnlyList<HomeBoxView>>> (Application.HomeBoxes.HomeBoxes boxes, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(await boxes.AllAsync(http.User.NetworkId(), cancellationToken)))
            .WithName("listHomeBoxes").WithSummary("List home boxes: where, whether paired and whether a parcel lies in them (never who owns them).");

        var resident = app.MapGroup("/api/home-boxes/{boxId}").WithTags("Resident").AllowAnonymous().RequireRateLimiting(RateLimits.Tracking);

        resident.MapPost("/claim", async Task<Ok<ClaimedHomeBox>> (string boxId, ClaimInput input, Application.HomeBoxes.HomeBoxes boxes, HttpContext http) =>
            TypedResults.Ok(await boxes.ClaimAsync(new LockerId(boxId), input, http.Context(), http.RequestAborted)))
            .WithMetadata(new EveryAttemptCounts())
            .WithName("claimHomeBox").Refuses(404, 409, 422, 429)
            .WithSummary("Pair a home box with the code printed on it: it becomes the resident's, and shops may send it their parcels.");

        resident.MapPost("/release", async Task<NoContent> (string boxId, ReleaseInput input, Application.HomeBoxes.HomeBoxes boxes, HttpContext http) =>
            {
                await boxes.ReleaseAsync(new LockerId(boxId), input, http.Context(), http.RequestAborted);
                return TypedResults.NoContent();
            })
            .WithMetadata(new EveryAttemptCounts())
            .WithName("releaseHomeBox").Refuses(404, 409, 422, 429)
            .WithSummary("Give a home box up with its code and the owner's phone; what the owner told about themselves is erased.");
    }
}
