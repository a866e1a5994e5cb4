using Logistics.Domain.Parcels;

namespace Logistics.Domain.Rounds;

/// <summary>
/// One visit of a round: a place, what the courier does there with each parcel, the window to respect (home
/// deliveries) and when the plan expects the courier. <see cref="StopId"/> is unique within its round.
/// </summary>
public sealed record RoundStop(string StopId, StopPlace Place, IReadOnlyList<ParcelTask> Parcels, TimeWindow? Window, DateTimeOffset PlannedArrival)
{
    /// <summary>The earliest time promised to a recipient among the stop's deliveries (priority parcels): a soft deadline.</summary>
    public DateTimeOffset? PromisedBy { get; init; }

    /// <summary>How late the plan expects the stop's promised deliveries to be, when it does.</summary>
    public TimeSpan? LateBy { get; init; }

    /// <summary>The courier's break, planned after this stop (or on the way to it, for a round's first remaining stop).</summary>
    public RoundBreak? Break { get; init; }
}

/// <summary>A break the plan gives the courier: from when, how long, and whether it comes before the stop that holds it rather than after.</summary>
public sealed record RoundBreak(DateTimeOffset From, TimeSpan Length, bool BeforeStop = false)
{
    public DateTimeOffset Until => From + Length;
}

/// <summary>What a courier does with one parcel at a stop. <see cref="Compartment"/>: the one reserved for a deposit, or the one a dropped parcel lies in.</summary>
public sealed record ParcelTask(ParcelId Parcel, TaskKind Kind, ParcelSize Size, int? Compartment = null);

public enum TaskKind
{
    PickUp,
    Deposit,
    DepositAtRelay,
    Deliver,

    /// <summary>An uncollected parcel taken back to the shop that sent it.</summary>
    ReturnToShop,
}

/// <summary>Where a stop is. A home is known through its recipient, so that erasing the person erases the place too.</summary>
public abstract record StopPlace
{
    private StopPlace()
    {
    }

    public sealed record Shop(ShopId Id, string Name, GeoPoint Position) : StopPlace;

    public sealed record Locker(LockerId Id, string Name, GeoPoint Position) : StopPlace;

    public sealed record Home(Recipient Recipient) : StopPlace;

    /// <summary>
    /// Where the place is (a home's position only while its recipient's data exists). A method, not a property: a
    /// property would be serialised with the event, and a home's position must stay sealed with the recipient.
    /// </summary>
    public GeoPoint? Point() => this switch
    {
        Shop s => s.Position,
        Locker l => l.Position,
        Home h => h.Recipient.Address?.Location,
        _ => null,
    };

    /// <summary>Whether a task of this kind can happen here: pickups at shops and lockers, deposits at lockers, relay hand-overs and returns at shops, deliveries at homes.</summary>
    public bool Allows(TaskKind kind) => (this, kind) switch
    {
        (Shop or Locker, TaskKind.PickUp) => true,
        (Locker, TaskKind.Deposit) => true,
        (Shop, TaskKind.DepositAtRelay or TaskKind.ReturnToShop) => true,
        (Home, TaskKind.Deliver) => true,
        _ => false,
    };
}
