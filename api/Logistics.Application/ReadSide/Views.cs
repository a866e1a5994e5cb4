using System.Data.Common;

namespace Logistics.Application.ReadSide;

/// <summary>A parcel as lists and detail pages show it.</summary>
public sealed record ParcelView(
    string ParcelId,
    string TrackingId,
    string ShopId,
    string RecipientName,
    string Size,
    string DestinationKind,
    string? DestinationLocker,
    string? DestinationShop,
    DateTimeOffset? WindowFrom,
    DateTimeOffset? WindowTo,
    string Status,
    string? LockerId,
    int? Compartment,
    string? RelayShop,
    string? CourierId,
    bool Returning,
    DateTimeOffset? CollectBy,
    DateTimeOffset RegisteredAt,
    DateTimeOffset UpdatedAt,
    double? HomeLatitude,
    double? HomeLongitude)
{
    internal static ParcelView Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
        r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetInt32(12),
        r.IsDBNull(13) ? null : r.GetString(13), r.IsDBNull(14) ? null : r.GetString(14), r.GetBoolean(15),
        r.IsDBNull(16) ? null : r.GetFieldValue<DateTimeOffset>(16), r.GetFieldValue<DateTimeOffset>(17), r.GetFieldValue<DateTimeOffset>(18),
        r.IsDBNull(19) ? null : r.GetDouble(19), r.IsDBNull(20) ? null : r.GetDouble(20));
}

public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Text);

public sealed record FreeBySize(int S, int M, int L);

public sealed record LockerView(
    string LockerId, string Name, string Address, double Latitude, double Longitude, bool Online, DateTimeOffset? LastSeenAt,
    int Compartments, int Free, FreeBySize FreeBySize, int Occupied, int Reserved, int OutOfService, int Alarms)
{
    public double FillRate => Compartments - OutOfService <= 0 ? 1 : Math.Round((double)(Occupied + Reserved) / (Compartments - OutOfService), 3);
}

public sealed record CompartmentView(int Number, string Size, bool LowHeight, string Status, string? ParcelId, bool DoorOpen);

public sealed record AlarmView(string Kind, int? Compartment, DateTimeOffset RaisedAt);

public sealed record ShopView(string ShopId, string Name, string Address, double Latitude, double Longitude, bool RelayPoint, bool Open);

public sealed record CourierView(string CourierId, string Name, string Vehicle, int CapacityUnits, bool OnShift, bool Active, int Carrying);

/// <summary>A door the core asked a board to open: when, why, for which parcel, on whose behalf, and the board's answer.</summary>
public sealed record DoorLogEntry(
    DateTimeOffset At, string Kind, int Compartment, string? ParcelId, string? ActorKind, string? ActorId, string? Result, DateTimeOffset? ResultAt);

/// <summary>
/// A parcel a courier carries: <c>parcelId</c> for the API's paths, the rest for people — the tracking number, the
/// sending shop's name, the recipient's first name (null once erased), where it goes (<c>destinationName</c>: the
/// locker's or relay shop's name) and whether it goes back to its shop.
/// </summary>
public sealed record CarriedParcel(
    string ParcelId, string TrackingId, string? ShopName, string? RecipientFirstName, string Size, string Status, string DestinationKind, string? DestinationLocker,
    string? DestinationName, bool Returning);
