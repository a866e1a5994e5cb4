namespace Logistics.Domain.Parcels;

/// <summary>Where a parcel is bound: a locker, a relay shop, the recipient's home within a time window, or their home box.</summary>
public abstract record Destination
{
    private Destination()
    {
    }

    /// <summary>A priority parcel: promised to its recipient by this time, today. Planning treats it as a soft deadline and says who will be late.</summary>
    public DateTimeOffset? PromisedBy { get; init; }

    public sealed record ToLocker(LockerId Locker) : Destination;

    public sealed record ToRelayShop(ShopId Shop) : Destination;

    /// <summary>The address itself is in the <see cref="Recipient"/>, with the rest of the personal data.</summary>
    public sealed record ToHome(TimeWindow Window) : Destination;

    /// <summary>
    /// The recipient's own parcel box at home (a one-compartment locker whose board is the network's): the courier's
    /// deposit opens it and no pickup code is issued, the box is theirs.
    /// </summary>
    public sealed record ToHomeBox(LockerId Box) : Destination;
}
