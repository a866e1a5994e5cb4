namespace Logistics.Domain.Rounds;

/// <summary>
/// One parcel a re-plan gave to the courier or took away, with why and from or to whom ("1 moved to Yanis: he passes
/// there first"). The courier's name is kept as it was then, so the message reads the same later.
/// </summary>
public sealed record RoundChange(ParcelId Parcel, RoundChangeKind Kind, RoundChangeReason Reason, CourierId? Courier = null, string? CourierName = null);

public enum RoundChangeKind
{
    Added,
    Removed,
}

/// <summary>Why a parcel came to or left a round. Stored by name: never rename one.</summary>
public enum RoundChangeReason
{
    /// <summary>A parcel to plan that no round held.</summary>
    NewParcel,

    /// <summary>Moved between two couriers on shift: the one who now has it passes there first (it saves more than the move cost).</summary>
    PassesFirst,

    /// <summary>Taken over from a courier whose shift ended.</summary>
    ShiftEnded,

    /// <summary>Left out of today's plan (no room, no access, too long): it waits for a later plan.</summary>
    Deferred,

    /// <summary>Nothing left to do with it (cancelled by its shop, or handled otherwise).</summary>
    NoLongerToDo,
}
