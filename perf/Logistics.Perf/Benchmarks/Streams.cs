using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;

namespace Logistics.Perf.Benchmarks;

/// <summary>
/// Fixed, long event streams built without randomness: a busy locker's day after day, and a parcel whose pickup code
/// keeps being mistyped, reissued and extended (the longest a parcel's history gets).
/// </summary>
internal static class Streams
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 7, 0, 0, TimeSpan.FromHours(1));
    public static readonly ParcelId Parcel = new("01JQ7Z5W3K8V2N6R4T9Y0B1C2D");
    public static readonly LockerId Locker = new("locker-place-du-martroi");
    public static readonly CourierId Courier = new("courier-lea");
    public static readonly ShopId Shop = new("shop-librairie-les-temps-modernes");

    public static Recipient Recipient { get; } = new(
        new PersonId("person-0042"),
        "Camille Martin",
        "+33611223344",
        "camille.martin@example.org",
        new HomeAddress("3 rue des Lilas", "45000", "Orléans", new GeoPoint(47.9029, 1.9093)));

    public static ParcelRegistered Registered { get; } =
        new(Parcel, "LG-7Q2M-9XK4", Shop, Recipient, ParcelSize.M, new Destination.ToLocker(Locker), Start);

    public static ParcelDeposited Deposited { get; } = new(
        Parcel, Courier, Locker, 17, "hmac-sha256:8f3c9a1e5b7d2f4061a8c3e9b5d7f1a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4",
        Start.AddDays(3), Start.AddDays(2), Start.AddDays(3), Start.AddHours(2));

    /// <summary>A locker of 60 compartments (30 S, 20 M, 10 L).</summary>
    public static LockerRegistered LockerRegistered { get; } = new(
        Locker,
        "Place du Martroi",
        new GeoPoint(47.9025, 1.9090),
        "Place du Martroi, 45000 Orléans",
        [.. Enumerable.Range(1, 60).Select(n => new CompartmentSpec(n, n <= 30 ? ParcelSize.S : n <= 50 ? ParcelSize.M : ParcelSize.L, n % 6 == 0))],
        Start);

    /// <summary>About <paramref name="count"/> parcel events: registered, picked up, deposited, then cycles of wrong codes, blocks, reissues and extensions.</summary>
    public static ParcelEvent[] ParcelHistory(int count)
    {
        var events = new List<ParcelEvent>(count)
        {
            Registered,
            new ParcelPickedUp(Parcel, Courier, Shop, null, null, false, Start.AddHours(1)),
            Deposited,
        };
        var at = Start.AddHours(3);
        var collectBy = Start.AddDays(3);
        for (var cycle = 0; events.Count < count - 1; cycle++)
        {
            at = at.AddMinutes(10);
            events.Add(new WrongCodeEntered(Parcel, 1, at));
            events.Add(new WrongCodeEntered(Parcel, 2, at.AddMinutes(1)));
            events.Add(new PickupCodeBlocked(Parcel, 2, at.AddMinutes(2)));
            events.Add(new PickupCodeReissued(Parcel, $"hmac-sha256:{cycle:x64}", collectBy, at.AddMinutes(3)));
            events.Add(new ReminderSent(Parcel, collectBy, at.AddMinutes(4)));
            events.Add(new CollectionDeadlineExtended(Parcel, collectBy, collectBy.AddDays(1), at.AddMinutes(5)));
            collectBy = collectBy.AddDays(1);
        }

        events.Add(new ParcelCollected(Parcel, Locker, 17, null, at.AddHours(1)));
        return [.. events];
    }

    /// <summary>About <paramref name="count"/> locker events: parcels reserved, deposited, collected, doors opening and closing, now and then an alarm.</summary>
    public static LockerEvent[] LockerHistory(int count)
    {
        var events = new List<LockerEvent>(count) { LockerRegistered, new LockerWentOnline(Locker, Start) };
        var at = Start;
        for (var n = 0; events.Count < count; n++)
        {
            var compartment = 1 + (n * 7 % 60);
            var parcel = new ParcelId($"parcel-{n:D6}");
            at = at.AddMinutes(3);
            events.Add(new CompartmentReserved(Locker, compartment, parcel, ParcelSize.S, at));
            events.Add(new DoorOpened(Locker, compartment, true, at.AddMinutes(30)));
            events.Add(new DoorClosed(Locker, compartment, at.AddMinutes(31)));
            events.Add(new CompartmentOccupied(Locker, compartment, parcel, at.AddMinutes(31)));
            if (n % 50 == 49)
            {
                events.Add(new AlarmRaised(Locker, AlarmKind.DoorLeftOpen, compartment, at.AddMinutes(40)));
                events.Add(new AlarmCleared(Locker, AlarmKind.DoorLeftOpen, compartment, at.AddMinutes(45)));
            }

            events.Add(new DoorOpened(Locker, compartment, true, at.AddHours(5)));
            events.Add(new DoorClosed(Locker, compartment, at.AddHours(5).AddMinutes(1)));
            events.Add(new CompartmentFreed(Locker, compartment, parcel, at.AddHours(5).AddMinutes(1)));
        }

        return [.. events];
    }
}
