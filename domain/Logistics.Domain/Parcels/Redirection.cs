using Logistics.Domain.Lockers;

namespace Logistics.Domain.Parcels;

/// <summary>A locker as redirection sees it: where it is and the sizes of its free compartments.</summary>
public sealed record LockerSnapshot(LockerId Id, GeoPoint Location, IReadOnlyList<ParcelSize> FreeSizes)
{
    public static LockerSnapshot From(Locker.Registered locker) => new(locker.Id, locker.Location, locker.FreeSizes());
}

/// <summary>Where a parcel goes when its home delivery failed.</summary>
public static class Redirection
{
    /// <summary>
    /// The nearest locker (straight-line distance) with a free compartment that fits a parcel of
    /// <paramref name="size"/>, or null when none has room. Equal distances go to the smaller id, so the choice
    /// does not depend on the order of <paramref name="lockers"/>. The reservation itself is then decided on the
    /// locker's stream, which may still refuse if the snapshot was stale.
    /// </summary>
    public static LockerSnapshot? NearestLockerWithRoom(GeoPoint from, ParcelSize size, IEnumerable<LockerSnapshot> lockers) =>
        lockers
            .Where(l => l.FreeSizes.Any(free => free.Fits(size)))
            .OrderBy(l => from.DistanceMetersTo(l.Location))
            .ThenBy(l => l.Id.Value, StringComparer.Ordinal)
            .FirstOrDefault();
}
