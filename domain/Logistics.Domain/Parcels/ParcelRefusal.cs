using static Logistics.Domain.Parcels.Parcel;

namespace Logistics.Domain.Parcels;

/// <summary>Builds refusals that name the parcel, its current state and why.</summary>
internal static class ParcelRefusal
{
    /// <summary>
    /// The command does not apply in the current state at all. <paramref name="action"/> completes
    /// "it cannot …", e.g. "be cancelled".
    /// </summary>
    public static DomainRuleViolation WrongState(Parcel state, string action)
    {
        var (code, situation) = Describe(state);
        return new DomainRuleViolation(code, $"{situation}; it cannot {action}.");
    }

    /// <summary>The state allows the command in general, but not this one: <paramref name="reason"/> says why.</summary>
    public static DomainRuleViolation Because(Known state, string code, string reason) =>
        new(code, $"Parcel {state.Details.TrackingId}: {reason}");

    public static DomainRuleViolation Because(string code, string reason) => new(code, reason);

    /// <summary>A stable code per state and a sentence a shopkeeper or an operator understands.</summary>
    public static (string Code, string Situation) Describe(Parcel state) => state switch
    {
        NotRegistered => ("parcel.not-registered", "This parcel is not registered"),
        Registered s => ("parcel.awaiting-pickup", $"{Name(s)} is awaiting pickup at shop {s.Details.Shop} since {Moment.Format(s.Since)}"),
        DroppedAtLocker s => ("parcel.dropped-at-locker", $"{Name(s)} was dropped in locker {s.Locker}, compartment {s.Compartment}, at {Moment.Format(s.Since)} and awaits pickup"),
        PickedUp { Returning: true } s => ("parcel.returning", $"{Name(s)} was picked up by courier {s.Courier} at {Moment.Format(s.Since)} for return to shop {s.Details.Shop}"),
        PickedUp s => ("parcel.in-transit", $"{Name(s)} was picked up by courier {s.Courier} at {Moment.Format(s.Since)} and is on its way"),
        AwaitingCollection s => ("parcel.awaiting-collection", $"{Name(s)} awaits collection {Where(s.Point)} since {Moment.Format(s.Since)}"),
        InHomeBox s => ("parcel.in-home-box", $"{Name(s)} lies in its recipient's home box {s.Box} since {Moment.Format(s.Since)}"),
        Collected s => ("parcel.already-collected", $"{Name(s)} was collected at {Moment.Format(s.At)}"),
        Delivered s => ("parcel.already-delivered", $"{Name(s)} was delivered by courier {s.Courier} at {Moment.Format(s.At)}"),
        Expired s => ("parcel.expired", $"{Name(s)} expired uncollected {Where(s.Point)} at {Moment.Format(s.At)}"),
        Returned s => ("parcel.already-returned", $"{Name(s)} was returned to shop {s.Details.Shop} at {Moment.Format(s.At)}"),
        Cancelled s => ("parcel.cancelled", $"{Name(s)} was cancelled by shop {s.By} at {Moment.Format(s.At)} ({s.Reason})"),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown parcel state."),
    };

    public static string Where(CollectionPoint point) => point switch
    {
        CollectionPoint.InLocker l => $"in locker {l.Locker}, compartment {l.Compartment},",
        CollectionPoint.AtRelayShop r => $"at relay shop {r.Shop}",
        _ => throw new ArgumentOutOfRangeException(nameof(point), point, "Unknown collection point."),
    };

    public static string Describe(Destination destination) => destination switch
    {
        Destination.ToLocker l => $"locker {l.Locker}",
        Destination.ToRelayShop r => $"relay shop {r.Shop}",
        Destination.ToHomeBox b => $"home box {b.Box}",
        Destination.ToHome h => $"a home delivery between {Moment.Format(h.Window.From)} and {Moment.Format(h.Window.To)}",
        _ => throw new ArgumentOutOfRangeException(nameof(destination), destination, "Unknown destination."),
    };

    private static string Name(Known state) => $"Parcel {state.Details.TrackingId}";
}
