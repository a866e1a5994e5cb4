namespace Logistics.Domain.Lockers;

/// <summary>A compartment as built: its number on the locker, its size, and whether it is reachable from a wheelchair.</summary>
public sealed record CompartmentSpec(int Number, ParcelSize Size, bool LowHeight);

/// <summary>One compartment of a locker: what it is, what it holds, whether its door is open and when it last closed.</summary>
public sealed record Compartment(int Number, ParcelSize Size, bool LowHeight, CompartmentStatus Status, bool DoorOpen, DateTimeOffset? LastClosedAt = null)
{
    public bool IsFree => Status is CompartmentStatus.Free;

    /// <summary>The parcel it is reserved for or holds, if any.</summary>
    public ParcelId? Parcel => Status switch
    {
        CompartmentStatus.Reserved r => r.Parcel,
        CompartmentStatus.Occupied o => o.Parcel,
        CompartmentStatus.Emptying e => e.Parcel,
        _ => null,
    };
}

public abstract record CompartmentStatus
{
    private CompartmentStatus()
    {
    }

    public sealed record Free : CompartmentStatus;

    /// <summary>Promised to a parcel on its way: no other parcel gets it.</summary>
    public sealed record Reserved(ParcelId Parcel) : CompartmentStatus;

    public sealed record Occupied(ParcelId Parcel) : CompartmentStatus;

    /// <summary>Its parcel was collected; it is free once the door has opened and closed (the parcel is out).</summary>
    public sealed record Emptying(ParcelId Parcel) : CompartmentStatus;

    public sealed record OutOfService(string Reason) : CompartmentStatus;
}
