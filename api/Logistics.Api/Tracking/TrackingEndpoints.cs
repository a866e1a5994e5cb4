using Logistics.Api.Infrastructure;
using Logistics.Application.Parcels;
using Logistics.Application.Projections;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Application.Tracking;

namespace Logistics.Api.Tracking;

/// <summary>The customer reaches one parcel by its tracking number: its state and timeline, collection, more time.</summary>
public static class TrackingEndpoints
{
    public sealed record TrackingView(
        string TrackingId, string Status, string Destination, string? Where, int? Compartment, DateTimeOffset? CollectBy,
        double? Latitude, double? Longitude, IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<CustomerStep> Steps);

    public static void MapTrackingEndpoints(this IEndpointRouteBuilder app)
    {
        var track = app.MapGroup("/api/track/{trackingId}").WithTags("Customer").AllowAnonymous();

        track.MapGet("/", async (string trackingId, ReadModels reads, EventStreams streams, CancellationToken cancellationToken) =>
        {
            var parcel = await reads.ParcelAsync("p.tracking_id = $1", cancellationToken, trackingId.Trim().ToUpperInvariant())
                ?? throw Refusal.NotFound($"No parcel has tracking number {trackingId}. Check the number in your message.");
            var lockerId = parcel.LockerId ?? parcel.DestinationLocker;
            var locker = lockerId is null ? null : await reads.LockerAsync(lockerId, cancellationToken);
            var shopId = parcel.RelayShop ?? parcel.DestinationShop;
            var shop = shopId is null ? null : await reads.ShopAsync(shopId, cancellationToken);
            // Only what helps the recipient: no name, no address, no courier.
            return Results.Ok(new TrackingView(
                parcel.TrackingId,
                parcel.Status,
                parcel.DestinationKind,
                locker is not null ? $"{locker.Name}, {locker.Address}" : shop is not null ? $"{shop.Name}, {shop.Address}" : null,
                parcel.Status == "AwaitingCollection" ? parcel.Compartment : null,
                parcel.CollectBy,
                locker?.Latitude ?? shop?.Latitude,
                locker?.Longitude ?? shop?.Longitude,
                await reads.TimelineAsync(parcel.ParcelId, cancellationToken),
                await new CustomerTimeline(streams, reads).ForAsync(parcel.ParcelId, cancellationToken)));
        }).WithSummary("Track a parcel (no sign-in: the tracking number is the key).");

        track.MapPost("/collect", async (string trackingId, CollectInput input, ParcelActions actions, HttpContext http) =>
            Results.Ok(await actions.CollectAsync(trackingId, input.Code, http.Context())))
            .WithSummary("Collect with the pickup code (then the phone's last 4 digits if the message said so): answers the compartment that opens.");

        track.MapPost("/extend", async (string trackingId, ParcelActions actions, HttpContext http) =>
            Results.Ok(new { collectBy = await actions.ExtendAsync(trackingId, http.Context()) }))
            .WithSummary("Ask for more time to collect (once).");
    }
}
