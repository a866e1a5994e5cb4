namespace Logistics.Domain.Parcels;

/// <summary>
/// Commands on a parcel's stream. Only <see cref="RegisterParcel"/> names the parcel: the others are sent to the
/// stream the caller loaded. Time always arrives as <c>Now</c>.
/// </summary>
public abstract record ParcelCommand;

/// <summary>A shop registers a parcel; it then awaits pickup at the shop.</summary>
public sealed record RegisterParcel(
    ParcelId ParcelId,
    string TrackingId,
    ShopId Shop,
    Recipient Recipient,
    ParcelSize Size,
    Destination Destination,
    DateTimeOffset Now) : ParcelCommand
{
    /// <summary>The shop's own number for the parcel (a web store's order id, a CSV line's reference), when it gave one.</summary>
    public string? Reference { get; init; }
}

/// <summary>The shop puts the parcel in a locker compartment (reserved beforehand on the locker) for a pooled pickup.</summary>
public sealed record DropAtLocker(LockerId Locker, int Compartment, DateTimeOffset Now) : ParcelCommand;

/// <summary>A courier takes the parcel: at the shop, from the drop locker, or an expired one for its return.</summary>
public sealed record PickUp(CourierId Courier, DateTimeOffset Now) : ParcelCommand;

/// <summary>
/// The carrying courier puts the parcel in a locker compartment (reserved beforehand on the locker). The pickup
/// code itself never reaches the domain: only its keyed hash.
/// </summary>
public sealed record Deposit(
    LockerId Locker,
    int Compartment,
    string PickupCodeHash,
    DateTimeOffset CodeExpiresAt,
    DateTimeOffset RemindAt,
    DateTimeOffset CollectBy,
    DateTimeOffset Now,
    string? LockerCodeVerifier = null) : ParcelCommand;

/// <summary>The carrying courier puts the parcel in the home box it is bound for (its compartment reserved beforehand); no code.</summary>
public sealed record DepositInHomeBox(LockerId Box, int Compartment, DateTimeOffset Now) : ParcelCommand;

/// <summary>The carrying courier hands the parcel to the relay shop it is bound for.</summary>
public sealed record DepositAtRelay(
    ShopId RelayShop,
    string PickupCodeHash,
    DateTimeOffset CodeExpiresAt,
    DateTimeOffset RemindAt,
    DateTimeOffset CollectBy,
    DateTimeOffset Now) : ParcelCommand;

/// <summary>
/// The recipient took the parcel; the code was checked outside against its keyed hash. <paramref name="CollectedAt"/>
/// is when it happened when a locker reports an offline collection later; it defaults to <paramref name="Now"/>.
/// </summary>
public sealed record Collect(DateTimeOffset Now, DateTimeOffset? CollectedAt = null) : ParcelCommand;

/// <summary>A wrong pickup code was tried for this parcel.</summary>
public sealed record RecordWrongCode(DateTimeOffset Now) : ParcelCommand;

/// <summary>An operator issues a new code (e.g. after a block); the old one stops working.</summary>
public sealed record ReissueCode(string PickupCodeHash, DateTimeOffset CodeExpiresAt, DateTimeOffset Now, string? LockerCodeVerifier = null) : ParcelCommand;

/// <summary>Time-driven: remind the recipient once the reminder time has come.</summary>
public sealed record SendReminder(DateTimeOffset Now) : ParcelCommand;

/// <summary>The recipient asks, once, for more time to collect (at most <see cref="ParcelDecider.MaxExtension"/>).</summary>
public sealed record ExtendDeadline(DateTimeOffset NewCollectBy, DateTimeOffset Now) : ParcelCommand;

/// <summary>Time-driven: the parcel was not collected by its deadline.</summary>
public sealed record Expire(DateTimeOffset Now) : ParcelCommand;

/// <summary>The courier carrying an expired parcel back hands it to its shop.</summary>
public sealed record ReturnToShop(DateTimeOffset Now) : ParcelCommand;

/// <summary>The carrying courier handed the parcel to the recipient at home.</summary>
public sealed record DeliverHome(CourierId Courier, DateTimeOffset Now) : ParcelCommand
{
    /// <summary>The photo or signature the courier kept, when they kept one.</summary>
    public DeliveryProof? Proof { get; init; }
}

/// <summary>
/// Nobody was home: the parcel goes to a locker instead. The caller picks it with
/// <see cref="Redirection.NearestLockerWithRoom"/>.
/// </summary>
public sealed record FailHomeDelivery(CourierId Courier, string Reason, LockerId RedirectTo, DateTimeOffset Now) : ParcelCommand
{
    /// <summary>The photo the courier took at the door, when they took one.</summary>
    public DeliveryProof? Proof { get; init; }
}

/// <summary>
/// Send a carried parcel to another locker than planned (its locker is full or out of order). Home deliveries are
/// redirected by <see cref="FailHomeDelivery"/> instead.
/// </summary>
public sealed record Redirect(LockerId To, string Reason, DateTimeOffset Now) : ParcelCommand;

/// <summary>The recipient asked for their personal data to be erased (at any point of the parcel's life).</summary>
public sealed record EraseRecipient(DateTimeOffset Now) : ParcelCommand;

/// <summary>The owning shop cancels the parcel before a courier has taken it.</summary>
public sealed record Cancel(ShopId By, string Reason, DateTimeOffset Now) : ParcelCommand;
