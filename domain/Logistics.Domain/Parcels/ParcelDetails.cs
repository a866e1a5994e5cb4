namespace Logistics.Domain.Parcels;

/// <summary>What a parcel is, fixed at registration except its destination (a redirect changes it).</summary>
public sealed record ParcelDetails(
    ParcelId Id,
    string TrackingId,
    ShopId Shop,
    Recipient Recipient,
    ParcelSize Size,
    Destination Destination,
    DateTimeOffset RegisteredAt)
{
    /// <summary>The shop's own number for the parcel, when it gave one.</summary>
    public string? Reference { get; init; }
}

/// <summary>Where a deposited parcel waits for its recipient.</summary>
public abstract record CollectionPoint
{
    private CollectionPoint()
    {
    }

    public sealed record InLocker(LockerId Locker, int Compartment) : CollectionPoint;

    public sealed record AtRelayShop(ShopId Shop) : CollectionPoint;
}

/// <summary>The current pickup code, as its keyed hash, with its wrong-attempt count.</summary>
public sealed record PickupCode(string Hash, DateTimeOffset ExpiresAt, int WrongAttempts, bool Blocked);
