using Logistics.Application.ReadSide;
using Logistics.Domain;

namespace Logistics.Api.Labels;

/// <summary>
/// What a parcel's label says: only what the counter, the courier and the sorting need. The recipient appears by
/// first name alone — no surname, phone, e-mail or street: a label is read by everyone the parcel passes, and the
/// courier's round carries a home's address.
/// </summary>
public sealed record ParcelLabel(string TrackingId, string ShopName, string Size, string DestinationKind, string DestinationName, string RecipientFirstName)
{
    /// <summary>The label's words for where the parcel goes (French first: the network's couriers read it).</summary>
    public string DestinationTitle => DestinationKind switch
    {
        "locker" => "CONSIGNE / LOCKER",
        "relay" => "POINT RELAIS / RELAY SHOP",
        _ => "DOMICILE / HOME",
    };

    /// <summary>The file name a label is saved under: the tracking number, which is all a printer queue needs.</summary>
    public string FileName(string extension) => $"label-{TrackingId}.{extension}";

    public static async Task<ParcelLabel> OfAsync(ParcelView parcel, DirectoryQueries directory, LockerQueries lockers, CancellationToken cancellationToken)
    {
        var shop = await directory.ShopAsync(new ShopId(parcel.ShopId), cancellationToken);
        var destination = parcel.DestinationKind switch
        {
            "locker" when parcel.DestinationLocker is { } locker => await lockers.NameAsync(new LockerId(locker), cancellationToken) ?? locker,
            "relay" when parcel.DestinationShop is { } relay => (await directory.ShopAsync(new ShopId(relay), cancellationToken))?.Name ?? relay,
            _ => "",
        };
        return new ParcelLabel(parcel.TrackingId, shop?.Name ?? parcel.ShopId, parcel.Size, parcel.DestinationKind, destination, RecipientNames.FirstName(parcel.RecipientName) ?? "");
    }
}
