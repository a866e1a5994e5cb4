namespace Logistics.Domain.Parcels;

/// <summary>
/// What happened to a parcel. Every event names the parcel and when it happened (<see cref="At"/>), and who and
/// where when that matters for the timeline. Class names are stored names: never rename one.
/// </summary>
public abstract record ParcelEvent(ParcelId ParcelId, DateTimeOffset At);

public sealed record ParcelRegistered(
    ParcelId ParcelId,
    string TrackingId,
    ShopId Shop,
    Recipient Recipient,
    ParcelSize Size,
    Destination Destination,
    DateTimeOffset At) : ParcelEvent(ParcelId, At)
{
    /// <summary>The shop's own number for the parcel (a web store's order id), told back in its webhooks.</summary>
    public string? Reference { get; init; }
}

public sealed record ParcelDroppedAtLocker(ParcelId ParcelId, ShopId Shop, LockerId Locker, int Compartment, DateTimeOffset At)
    : ParcelEvent(ParcelId, At);

/// <summary>
/// Taken by a courier: from its shop (no locker), from the locker it was dropped in, or, when
/// <paramref name="ForReturn"/>, from where it expired. When a locker and compartment are named, that compartment
/// is now empty and must be freed on the locker's stream.
/// </summary>
public sealed record ParcelPickedUp(
    ParcelId ParcelId,
    CourierId Courier,
    ShopId? FromShop,
    LockerId? FromLocker,
    int? FromCompartment,
    bool ForReturn,
    DateTimeOffset At) : ParcelEvent(ParcelId, At);

/// <summary>
/// Put in a locker compartment. <paramref name="LockerCodeVerifier"/> is what the locker's board checks a typed code
/// against (the code keyed with the locker's own code key, base64; the code itself is never stored), so that what
/// follows the deposit can provision the board whenever it runs; null when the locker has no board registered.
/// </summary>
public sealed record ParcelDeposited(
    ParcelId ParcelId,
    CourierId Courier,
    LockerId Locker,
    int Compartment,
    string PickupCodeHash,
    DateTimeOffset CodeExpiresAt,
    DateTimeOffset RemindAt,
    DateTimeOffset CollectBy,
    DateTimeOffset At,
    string? LockerCodeVerifier = null) : ParcelEvent(ParcelId, At);

/// <summary>Put in its recipient's home box: theirs to take out whenever they like, with no code and no deadline.</summary>
public sealed record ParcelDepositedInHomeBox(ParcelId ParcelId, CourierId Courier, LockerId Box, int Compartment, DateTimeOffset At)
    : ParcelEvent(ParcelId, At);

public sealed record ParcelDepositedAtRelay(
    ParcelId ParcelId,
    CourierId Courier,
    ShopId RelayShop,
    string PickupCodeHash,
    DateTimeOffset CodeExpiresAt,
    DateTimeOffset RemindAt,
    DateTimeOffset CollectBy,
    DateTimeOffset At) : ParcelEvent(ParcelId, At);

/// <summary>Collected by the recipient; <see cref="ParcelEvent.At"/> is when it happened (possibly offline, reported later).</summary>
public sealed record ParcelCollected(ParcelId ParcelId, LockerId? Locker, int? Compartment, ShopId? RelayShop, DateTimeOffset At)
    : ParcelEvent(ParcelId, At);

/// <summary>The <paramref name="Attempt"/>-th consecutive wrong code since the code was issued.</summary>
public sealed record WrongCodeEntered(ParcelId ParcelId, int Attempt, DateTimeOffset At) : ParcelEvent(ParcelId, At);

public sealed record PickupCodeBlocked(ParcelId ParcelId, int Attempts, DateTimeOffset At) : ParcelEvent(ParcelId, At);

/// <summary>A new code replaces the old one, resets the wrong attempts and lifts a block (the locker's verifier as in <see cref="ParcelDeposited"/>).</summary>
public sealed record PickupCodeReissued(ParcelId ParcelId, string PickupCodeHash, DateTimeOffset CodeExpiresAt, DateTimeOffset At, string? LockerCodeVerifier = null)
    : ParcelEvent(ParcelId, At);

public sealed record ReminderSent(ParcelId ParcelId, DateTimeOffset CollectBy, DateTimeOffset At) : ParcelEvent(ParcelId, At);

/// <summary>The deadline moves; a pickup code expiring before the new deadline is extended with it.</summary>
public sealed record CollectionDeadlineExtended(
    ParcelId ParcelId,
    DateTimeOffset PreviousCollectBy,
    DateTimeOffset NewCollectBy,
    DateTimeOffset At) : ParcelEvent(ParcelId, At);

/// <summary>Not collected in time; it stays where it is (locker compartment or relay shop) until a courier takes it back.</summary>
public sealed record ParcelExpired(ParcelId ParcelId, LockerId? Locker, int? Compartment, ShopId? RelayShop, DateTimeOffset At)
    : ParcelEvent(ParcelId, At);

public sealed record ParcelReturned(ParcelId ParcelId, ShopId Shop, CourierId Courier, DateTimeOffset At) : ParcelEvent(ParcelId, At);

public sealed record ParcelDelivered(ParcelId ParcelId, CourierId Courier, DateTimeOffset At) : ParcelEvent(ParcelId, At)
{
    /// <summary>The proof kept of the delivery (its images sealed elsewhere), or null when none was kept.</summary>
    public DeliveryProof? Proof { get; init; }
}

public sealed record HomeDeliveryFailed(ParcelId ParcelId, CourierId Courier, PersonalText Reason, DateTimeOffset At) : ParcelEvent(ParcelId, At)
{
    /// <summary>The photo kept of the attempt (sealed elsewhere), or null when none was taken.</summary>
    public DeliveryProof? Proof { get; init; }
}

/// <summary>The destination is now <paramref name="Locker"/>; the parcel is still with its courier.</summary>
public sealed record ParcelRedirected(ParcelId ParcelId, LockerId Locker, PersonalText Reason, DateTimeOffset At) : ParcelEvent(ParcelId, At);

/// <summary>
/// The recipient's personal data was erased on request (their key is gone: the history replays them as erased); read
/// models forget the person too.
/// </summary>
public sealed record RecipientErased(ParcelId ParcelId, PersonId Person, DateTimeOffset At) : ParcelEvent(ParcelId, At);

/// <summary>
/// Cancelled by its shop before pickup. When it had been dropped in a locker, <paramref name="Locker"/> and
/// <paramref name="Compartment"/> say where it still lies (the compartment must be freed once the shop takes it back).
/// </summary>
public sealed record ParcelCancelled(ParcelId ParcelId, ShopId By, PersonalText Reason, LockerId? Locker, int? Compartment, DateTimeOffset At)
    : ParcelEvent(ParcelId, At);
