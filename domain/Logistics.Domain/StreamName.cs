namespace Logistics.Domain;

/// <summary>Names of the event streams, one per aggregate instance.</summary>
public static class StreamName
{
    public const string ParcelPrefix = "parcel-";
    public const string LockerPrefix = "locker-";
    public const string CourierPrefix = "courier-";
    public const string ShopPrefix = "shop-";
    public const string HomeBoxPrefix = "homebox-";

    public static string For(ParcelId id) => ParcelPrefix + id.Value;

    public static string For(LockerId id) => LockerPrefix + id.Value;

    public static string For(CourierId id) => CourierPrefix + id.Value;

    public static string For(ShopId id) => ShopPrefix + id.Value;

    /// <summary>A home box's own stream (its owner), beside its locker's stream (doors, compartment).</summary>
    public static string HomeBoxOf(LockerId id) => HomeBoxPrefix + id.Value;

    /// <summary>The id part of a stream name with the given prefix, or null when the name has another prefix.</summary>
    public static string? IdOf(string streamName, string prefix) =>
        streamName.StartsWith(prefix, StringComparison.Ordinal) ? streamName[prefix.Length..] : null;
}
