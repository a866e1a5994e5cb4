using Logistics.Api.Auth;
using Logistics.Api.Infrastructure;
using Logistics.Application.Parcels;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Application.Tracking;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Tracking;

/// <summary>The customer reaches one parcel by its tracking number: its state and timeline, collection, more time.</summary>
public static class TrackingEndpoints
{
    /// <summary>The new deadline after asking for more time.</summary>
    public sealed record Extended(DateTimeOffset CollectBy);

    /// <summary>
    /// A right code: <c>opening</c> (the locker's board opens <paramref name="Compartment"/>; the tracking view's
    /// <c>door</c> and status follow it) or <c>collected</c> (handed over at a relay shop). <paramref name="Compartments"/>
    /// lists every door opening: more than one when the code is shared by the recipient's parcels at the locker.
    /// </summary>
    public sealed record Collection(string Status, int? Compartment, IReadOnlyList<int> Compartments);

    public static void MapTrackingEndpoints(this IEndpointRouteBuilder app)
    {
        var track = app.MapGroup("/api/track/{trackingId}").WithTags("Customer").AllowAnonymous().RequireRateLimiting(RateLimits.Tracking);

        track.MapGet("/", async Task<Ok<TrackingView>> (string trackingId, TrackingQuery tracking, CancellationToken cancellationToken) =>
            TypedResults.Ok(await tracking.ForAsync(trackingId, cancellationToken)
                ?? throw Refusal.NotFound($"No parcel has tracking number {trackingId}. Check the number in your message.")))
            .WithName("trackParcel").Refuses(404).WithSummary("Track a parcel (no sign-in: the tracking number is the key).");

        track.MapPost("/collect", async Task<Ok<Collection>> (string trackingId, CollectInput input, ParcelActions actions, HttpContext http) =>
            {
                // Every attempt is a guess that counts: no Idempotency-Key makes a wrong code free to retry.
                var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                var answer = await actions.CollectAsync(trackingId, input.Code, client, new CommandContext(http.User.Actor()), http.RequestAborted);
                return TypedResults.Ok(new Collection(answer.Status, answer.Compartment, answer.Compartments));
            })
            .WithMetadata(new EveryAttemptCounts())
            .WithName("collectParcel").Refuses(404, 409, 422, 429).WithSummary("Collect with the pickup code, in front of the locker: its board opens the door (follow the tracking view's door and status); at a relay shop the code hands the parcel over.");

        track.MapPost("/extend", async Task<Ok<Extended>> (string trackingId, ParcelActions actions, HttpContext http) =>
            TypedResults.Ok(new Extended(await actions.ExtendAsync(trackingId, http.Context()))))
            .WithName("extendCollection").Refuses(404, 409).WithSummary("Ask for more time to collect (once).");
    }
}
