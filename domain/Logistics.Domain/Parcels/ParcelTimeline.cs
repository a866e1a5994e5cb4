namespace Logistics.Domain.Parcels;

/// <summary>Where a parcel stands, in the words of its tracking page and of a shop's parcel list.</summary>
public enum ParcelStatus
{
    NotRegistered,
    AwaitingPickup,
    DroppedAtLocker,
    InTransit,
    Returning,
    AwaitingCollection,
    Collected,
    Delivered,
    Expired,
    Returned,
    Cancelled,
}

/// <summary>
/// Read-model helpers: a projection can follow a parcel's status and timeline event by event, without folding its
/// stream. Descriptions carry no personal data (the tracking page is reached by tracking id alone).
/// </summary>
public static class ParcelTimeline
{
    public static ParcelStatus StatusOf(Parcel state) => state switch
    {
        Parcel.NotRegistered => ParcelStatus.NotRegistered,
        Parcel.Registered => ParcelStatus.AwaitingPickup,
        Parcel.DroppedAtLocker => ParcelStatus.DroppedAtLocker,
        Parcel.PickedUp { Returning: true } => ParcelStatus.Returning,
        Parcel.PickedUp => ParcelStatus.InTransit,
        Parcel.AwaitingCollection or Parcel.InHomeBox => ParcelStatus.AwaitingCollection,
        Parcel.Collected => ParcelStatus.Collected,
        Parcel.Delivered => ParcelStatus.Delivered,
        Parcel.Expired => ParcelStatus.Expired,
        Parcel.Returned => ParcelStatus.Returned,
        Parcel.Cancelled => ParcelStatus.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown parcel state."),
    };

    /// <summary>The status an event leads to, or null when the event leaves the status as it was.</summary>
    public static ParcelStatus? StatusAfter(ParcelEvent e) => e switch
    {
        ParcelRegistered => ParcelStatus.AwaitingPickup,
        ParcelDroppedAtLocker => ParcelStatus.DroppedAtLocker,
        ParcelPickedUp p => p.ForReturn ? ParcelStatus.Returning : ParcelStatus.InTransit,
        ParcelDeposited or ParcelDepositedAtRelay or ParcelDepositedInHomeBox => ParcelStatus.AwaitingCollection,
        ParcelCollected => ParcelStatus.Collected,
        ParcelDelivered => ParcelStatus.Delivered,
        ParcelExpired => ParcelStatus.Expired,
        ParcelReturned => ParcelStatus.Returned,
        ParcelCancelled => ParcelStatus.Cancelled,
        _ => null,
    };

    /// <summary>One line of the parcel's timeline, e.g. "Deposited in locker l-halles, compartment 7 by courier c-ana".</summary>
    public static string Describe(ParcelEvent e) => e switch
    {
        ParcelRegistered r => $"Registered by shop {r.Shop}, size {r.Size}, for {ParcelRefusal.Describe(r.Destination)}",
        ParcelDroppedAtLocker d => $"Dropped by shop {d.Shop} in locker {d.Locker}, compartment {d.Compartment}, for pickup",
        ParcelPickedUp { ForReturn: true } p => $"Picked up by courier {p.Courier} {From(p)} to return it to its shop",
        ParcelPickedUp p => $"Picked up by courier {p.Courier} {From(p)}",
        ParcelDeposited d => $"Deposited in locker {d.Locker}, compartment {d.Compartment}, by courier {d.Courier}; to collect by {Moment.Format(d.CollectBy)}",
        ParcelDepositedInHomeBox d => $"Deposited in home box {d.Box} by courier {d.Courier}",
        ParcelDepositedAtRelay d => $"Left at relay shop {d.RelayShop} by courier {d.Courier}; to collect by {Moment.Format(d.CollectBy)}",
        ParcelCollected { Locker: { } locker } => $"Collected from locker {locker}",
        ParcelCollected c => $"Collected at relay shop {c.RelayShop}",
        WrongCodeEntered w => $"Wrong pickup code entered (attempt {w.Attempt} of {ParcelDecider.MaxWrongAttempts})",
        PickupCodeBlocked b => $"Pickup code blocked after {b.Attempts} wrong attempts",
        PickupCodeReissued r => $"New pickup code issued, valid until {Moment.Format(r.CodeExpiresAt)}",
        ReminderSent r => $"Reminder sent; to collect by {Moment.Format(r.CollectBy)}",
        CollectionDeadlineExtended x => $"Deadline extended to {Moment.Format(x.NewCollectBy)}",
        ParcelExpired => "Not collected in time; it will go back to its shop",
        ParcelReturned r => $"Returned to shop {r.Shop} by courier {r.Courier}",
        ParcelDelivered { Proof: { } proof } d => $"Delivered at home by courier {d.Courier}; proof kept ({Kept(proof)})",
        ParcelDelivered d => $"Delivered at home by courier {d.Courier}",
        HomeDeliveryFailed f => $"Home delivery failed: {f.Reason}",
        ParcelRedirected r => $"Redirected to locker {r.Locker}: {r.Reason}",
        ParcelCancelled c => $"Cancelled by shop {c.By}: {c.Reason}",
        RecipientErased => "The recipient's personal data was erased on request",
        _ => e.GetType().Name,
    };

    /// <summary>
    /// The events whose line ends with the recipient's free text (a <see cref="PersonalText"/>) after the first ": ":
    /// a read model keeping these lines blanks that part when the recipient is erased.
    /// </summary>
    public static IReadOnlyList<string> EndingWithPersonalText { get; } = [nameof(HomeDeliveryFailed), nameof(ParcelRedirected), nameof(ParcelCancelled)];

    private static string Kept(DeliveryProof proof) => (proof.Photo, proof.Signature) switch
    {
        (true, true) => "photo and signature",
        (false, true) => "signature",
        _ => "photo",
    };

    private static string From(ParcelPickedUp p) => p switch
    {
        { FromLocker: { } locker } => $"from locker {locker}, compartment {p.FromCompartment}",
        { FromShop: { } shop } => $"at shop {shop}",
        _ => "",
    };
}
