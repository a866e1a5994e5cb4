using Logistics.Application.Lockers;
using Logistics.Application.Parcels;
using Logistics.Application.ReadSide;
using Logistics.Domain;

namespace Logistics.Application.Tracking;

/// <summary>
/// A parcel as its recipient sees it from the tracking number: where to collect it, until when, how the door asked
/// for online fared (<see cref="LockerDevices.CollectionDoorAsync"/>), its history, and how many doors its code opens
/// when the recipient's parcels at the locker share it (<see cref="SharedCodes"/>; null for a code of its own). Nothing else: no internal id, no
/// shop's or courier's id, no free-text reason (anyone holding the number reads it).
/// </summary>
public sealed record TrackingView(
    string TrackingId, string Status, string Destination, string? Where, int? Compartment, DateTimeOffset? CollectBy,
    double? Latitude, double? Longitude, string? Door, IReadOnlyList<CustomerStep> Steps, int? CodeOpens = null);

/// <summary>The customer's view of one parcel: only what helps the recipient (no name, no address, no courier).</summary>
public sealed class TrackingQuery(ParcelQueries parcels, LockerQueries lockers, DirectoryQueries directory, CustomerTimeline timeline, LockerDevices devices, SharedCodes shared)
{
    public async Task<TrackingView?> ForAsync(string trackingId, CancellationToken cancellationToken)
    {
        if (await parcels.ByTrackingAsync(trackingId, cancellationToken) is not { } parcel)
        {
            return null;
        }

        var lockerId = parcel.LockerId ?? parcel.DestinationLocker;
        var locker = lockerId is null ? null : await lockers.FindAsync(new LockerId(lockerId), cancellationToken);
        var waitingInLocker = parcel.Status == "AwaitingCollection" && lockerId is not null;
        var doors = waitingInLocker ? await shared.DoorsOpenedByCodeOfAsync(new ParcelId(parcel.ParcelId), cancellationToken) : 0;
        var shopId = parcel.RelayShop ?? parcel.DestinationShop;
        var shop = shopId is null ? null : await directory.ShopAsync(new ShopId(shopId), cancellationToken);
        return new TrackingView(
            parcel.TrackingId,
            parcel.Status,
            parcel.DestinationKind,
            locker is not null ? $"{locker.Name}, {locker.Address}" : shop is not null ? $"{shop.Name}, {shop.Address}" : null,
            parcel.Status == "AwaitingCollection" ? parcel.Compartment : null,
            parcel.CollectBy,
            locker?.Latitude ?? shop?.Latitude,
            locker?.Longitude ?? shop?.Longitude,
            waitingInLocker ? await devices.CollectionDoorAsync(new ParcelId(parcel.ParcelId), cancellationToken) : null,
            await timeline.ForAsync(parcel.ParcelId, cancellationToken),
            doors > 1 ? doors : null);
    }
}
