namespace Logistics.Domain.Parcels;

/// <summary>
/// The states of a parcel. <see cref="Known"/> groups every state after registration and carries the
/// <see cref="ParcelDetails"/>; <see cref="Collected"/>, <see cref="Delivered"/>, <see cref="Returned"/> and
/// <see cref="Cancelled"/> are final.
/// </summary>
public abstract record Parcel
{
    private Parcel()
    {
    }

    public static Parcel Initial { get; } = new NotRegistered();

    public sealed record NotRegistered : Parcel;

    public abstract record Known : Parcel
    {
        private protected Known(ParcelDetails details) => Details = details;

        public ParcelDetails Details { get; init; }
    }

    /// <summary>Awaiting pickup at its shop.</summary>
    public sealed record Registered(ParcelDetails Details, DateTimeOffset Since) : Known(Details);

    /// <summary>Put by its shop in a locker compartment, awaiting a pooled pickup.</summary>
    public sealed record DroppedAtLocker(ParcelDetails Details, LockerId Locker, int Compartment, DateTimeOffset Since) : Known(Details);

    /// <summary>With a courier: on its way to its destination, or back to its shop when <paramref name="Returning"/>.</summary>
    public sealed record PickedUp(ParcelDetails Details, CourierId Courier, bool Returning, DateTimeOffset Since) : Known(Details);

    /// <summary>Deposited; the recipient may collect it with the code until <paramref name="CollectBy"/>.</summary>
    public sealed record AwaitingCollection(
        ParcelDetails Details,
        CourierId DepositedBy,
        CollectionPoint Point,
        PickupCode Code,
        DateTimeOffset RemindAt,
        DateTimeOffset CollectBy,
        bool Reminded,
        bool DeadlineExtended,
        DateTimeOffset Since) : Known(Details);

    /// <summary>In its recipient's home box: no code, no deadline; collected when the box reports its door opened by them.</summary>
    public sealed record InHomeBox(ParcelDetails Details, CourierId DepositedBy, LockerId Box, int Compartment, DateTimeOffset Since) : Known(Details);

    public sealed record Collected(ParcelDetails Details, CollectionPoint Point, DateTimeOffset At) : Known(Details);

    public sealed record Delivered(ParcelDetails Details, CourierId Courier, DateTimeOffset At) : Known(Details);

    /// <summary>Not collected in time; still at <paramref name="Point"/> until a courier takes it back.</summary>
    public sealed record Expired(ParcelDetails Details, CollectionPoint Point, DateTimeOffset At) : Known(Details);

    public sealed record Returned(ParcelDetails Details, CourierId Courier, DateTimeOffset At) : Known(Details);

    public sealed record Cancelled(ParcelDetails Details, ShopId By, string Reason, DateTimeOffset At) : Known(Details);

    /// <summary>
    /// Applies one event. Events come from <see cref="ParcelDecider.Decide"/>, so one that does not fit the state
    /// can only come from a foreign write; it is ignored so that a history always replays.
    /// </summary>
    public static Parcel Evolve(Parcel state, ParcelEvent e) => (state, e) switch
    {
        (NotRegistered, ParcelRegistered r) =>
            new Registered(new ParcelDetails(r.ParcelId, r.TrackingId, r.Shop, r.Recipient, r.Size, r.Destination, r.At) { Reference = r.Reference }, r.At),
        (Registered s, ParcelDroppedAtLocker d) => new DroppedAtLocker(s.Details, d.Locker, d.Compartment, d.At),
        (Known s, ParcelPickedUp p) => new PickedUp(s.Details, p.Courier, p.ForReturn, p.At),
        (PickedUp s, ParcelDeposited d) => Awaiting(s, new CollectionPoint.InLocker(d.Locker, d.Compartment), d.PickupCodeHash, d.CodeExpiresAt, d.RemindAt, d.CollectBy, d.At),
        (PickedUp s, ParcelDepositedAtRelay d) => Awaiting(s, new CollectionPoint.AtRelayShop(d.RelayShop), d.PickupCodeHash, d.CodeExpiresAt, d.RemindAt, d.CollectBy, d.At),
        (AwaitingCollection s, ParcelCollected c) => new Collected(s.Details, s.Point, c.At),
        (PickedUp s, ParcelDepositedInHomeBox d) => new InHomeBox(s.Details, s.Courier, d.Box, d.Compartment, d.At),
        (InHomeBox s, ParcelCollected c) => new Collected(s.Details, new CollectionPoint.InLocker(s.Box, s.Compartment), c.At),
        (AwaitingCollection s, WrongCodeEntered w) => s with { Code = s.Code with { WrongAttempts = w.Attempt } },
        (AwaitingCollection s, PickupCodeBlocked) => s with { Code = s.Code with { Blocked = true } },
        (AwaitingCollection s, PickupCodeReissued r) => s with { Code = new PickupCode(r.PickupCodeHash, r.CodeExpiresAt, 0, false) },
        (AwaitingCollection s, ReminderSent) => s with { Reminded = true },
        (AwaitingCollection s, CollectionDeadlineExtended x) => s with
        {
            CollectBy = x.NewCollectBy,
            DeadlineExtended = true,
            Code = s.Code.ExpiresAt >= x.PreviousCollectBy && s.Code.ExpiresAt < x.NewCollectBy
                ? s.Code with { ExpiresAt = x.NewCollectBy }
                : s.Code,
        },
        (AwaitingCollection s, ParcelExpired x) => new Expired(s.Details, s.Point, x.At),
        (PickedUp s, ParcelReturned r) => new Returned(s.Details, r.Courier, r.At),
        (PickedUp s, ParcelDelivered d) => new Delivered(s.Details, d.Courier, d.At),
        (PickedUp s, ParcelRedirected r) => s with { Details = s.Details with { Destination = new Destination.ToLocker(r.Locker) { PromisedBy = s.Details.Destination.PromisedBy } } },
        (Known s, ParcelCancelled c) => new Cancelled(s.Details, c.By, c.Reason.Text, c.At),
        _ => state,
    };

    public static Parcel Fold(IEnumerable<ParcelEvent> events) => events.Aggregate(Initial, Evolve);

    private static AwaitingCollection Awaiting(
        PickedUp s,
        CollectionPoint point,
        string codeHash,
        DateTimeOffset codeExpiresAt,
        DateTimeOffset remindAt,
        DateTimeOffset collectBy,
        DateTimeOffset at) =>
        new(s.Details, s.Courier, point, new PickupCode(codeHash, codeExpiresAt, 0, false), remindAt, collectBy, false, false, at);
}
