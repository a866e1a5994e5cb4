using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

/// <summary>Decider tests for the parcel, one partial file per command; the fixture histories live here.</summary>
public partial class ParcelTests
{
    public const string Tracking = "LG-7K3M9QX2";
    public const string CodeHash = "hash-1";

    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset DepositedAt = T0.AddHours(3);
    public static readonly DateTimeOffset RemindAt = DepositedAt.AddDays(2);
    public static readonly DateTimeOffset CollectBy = DepositedAt.AddDays(3);

    public static readonly ParcelId Id = new("p-0001");
    public static readonly ShopId Shop = new("s-librairie");
    public static readonly ShopId OtherShop = new("s-fromagerie");
    public static readonly ShopId RelayShop = new("s-tabac");
    public static readonly LockerId Locker = new("l-halles");
    public static readonly LockerId DropLocker = new("l-gare");
    public static readonly LockerId OtherLocker = new("l-mairie");
    public static readonly CourierId Courier = new("c-ana");
    public static readonly CourierId OtherCourier = new("c-bruno");

    public static readonly Recipient Recipient = new(
        new PersonId("person-1"),
        "Camille Martin",
        "+33612345678",
        "camille@example.org",
        new HomeAddress("3 rue des Tanneurs", "37000", "Tours", new GeoPoint(47.3941, 0.6848)));

    /// <summary>Free text about the parcel, as the deciders record it: the recipient's, sealed under their key.</summary>
    public static PersonalText Said(string text) => new(Recipient.Person, text);

    public static readonly TimeWindow Window = new(T0.AddHours(6), T0.AddHours(8));

    public static Destination ToLocker => new Destination.ToLocker(Locker);

    public static Destination ToRelay => new Destination.ToRelayShop(RelayShop);

    public static Destination ToHome => new Destination.ToHome(Window);

    private static DeciderSpec<Parcel, ParcelCommand, ParcelEvent> Given(params ParcelEvent[] history) =>
        new DeciderSpec<Parcel, ParcelCommand, ParcelEvent>(ParcelDecider.Decide, Parcel.Evolve, Parcel.Initial).Given(history);

    public static ParcelRegistered Registered(Destination? destination = null, ParcelSize size = ParcelSize.M) =>
        new(Id, Tracking, Shop, Recipient, size, destination ?? ToLocker, T0);

    public static ParcelDroppedAtLocker DroppedAtLocker() => new(Id, Shop, DropLocker, 4, T0.AddMinutes(30));

    public static ParcelPickedUp PickedUpAtShop(CourierId? courier = null) =>
        new(Id, courier ?? Courier, Shop, null, null, false, T0.AddHours(1));

    public static ParcelDeposited Deposited() =>
        new(Id, Courier, Locker, 7, CodeHash, CollectBy, RemindAt, CollectBy, DepositedAt);

    public static ParcelDepositedAtRelay DepositedAtRelay() =>
        new(Id, Courier, RelayShop, CodeHash, CollectBy, RemindAt, CollectBy, DepositedAt);

    public static ParcelExpired Expired() => new(Id, Locker, 7, null, CollectBy);

    public static ParcelPickedUp PickedUpForReturn() => new(Id, Courier, null, Locker, 7, true, CollectBy.AddHours(2));

    /// <summary>A parcel bound for a locker, now waiting in compartment 7.</summary>
    public static ParcelEvent[] InLocker() => [Registered(), PickedUpAtShop(), Deposited()];

    public static ParcelEvent[] WithCourierForHome() => [Registered(ToHome), PickedUpAtShop()];

    public static WrongCodeEntered WrongCode(int attempt) => new(Id, attempt, DepositedAt.AddHours(attempt));
}
