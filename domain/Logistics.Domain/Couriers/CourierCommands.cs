namespace Logistics.Domain.Couriers;

public enum Vehicle
{
    CargoBike,
    Van,
}

public abstract record CourierCommand;

/// <summary>
/// A courier joins the network. <paramref name="CapacityUnits"/> counts parcel size units
/// (see <see cref="ParcelSizeExtensions.Units"/>: S = 1, M = 2, L = 4).
/// </summary>
public sealed record RegisterCourier(CourierId CourierId, string Name, Vehicle Vehicle, int CapacityUnits, DateTimeOffset Now)
    : CourierCommand;

/// <summary>The courier is available for rounds, starting from <paramref name="Location"/> when known.</summary>
public sealed record StartShift(GeoPoint? Location, DateTimeOffset Now) : CourierCommand;

public sealed record EndShift(DateTimeOffset Now) : CourierCommand;

/// <summary>The courier leaves the network (a shift in progress ends with it); the stream then refuses every command.</summary>
public sealed record DeactivateCourier(string Reason, DateTimeOffset Now) : CourierCommand;
