using Logistics.Api.Infrastructure;
using Logistics.Application.Parcels;
using Logistics.Application.Refusals;
using Logistics.Application.Tracking;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Tracking;

/// <summary>The customer reaches one parcel by its tracking number: its state and timeline, collection, more time.</summary>
public static class TrackingEndpoints
{
    /// <summary>The new deadline after asking for more time.</summary>
    public sealed record Extended(DateTimeOffset CollectBy);

    public static void MapTrackingEndpoints(this IEndpointRouteBuilder app)
    {
        var track = app.MapGroup("/api/track/{trackingId}").WithTags("Customer").AllowAnonymous();

        track.MapGet("/", async Task<Ok<TrackingView>> (string trackingId, TrackingQuery tracking, CancellationToken cancellationToken) =>
            TypedResults.Ok(await tracking.ForAsync(trackingId, cancellationToken)
                ?? throw Refusal.NotFound($"No parcel has tracking number {trackingId}. Check the number in your message.")))
            .WithSummary("Track a parcel (no sign-in: the tracking number is the key).");

        track.MapPost("/collect", async Task<Ok<CompartmentAnswer>> (string trackingId, CollectInput input, ParcelActions actions, HttpContext http) =>
            TypedResults.Ok(await actions.CollectAsync(trackingId, input.Code, http.Context())))
            .WithSummary("Collect with the pickup code (then the phone's last 4 digits if the message said so): answers the compartment that opens.");

        track.MapPost("/extend", async Task<Ok<Extended>> (string trackingId, ParcelActions actions, HttpContext http) =>
            TypedResults.Ok(new Extended(await actions.ExtendAsync(trackingId, http.Context()))))
            .WithSummary("Ask for more time to collect (once).");
    }
}
