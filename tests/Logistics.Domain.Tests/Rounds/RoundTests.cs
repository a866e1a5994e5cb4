using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;

namespace Logistics.Domain.Tests.Rounds;

/// <summary>Fixtures of the round decider: a courier picks up two parcels at a shop, deposits one at a locker and delivers one at home.</summary>
public partial class RoundTests
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 30, 0, TimeSpan.Zero);
    public static readonly RoundId Id = new("r-1");
    public static readonly CourierId Ana = new("c-ana");
    public static readonly CourierId Ben = new("c-ben");
    public static readonly ParcelId ToLocker = new("p-locker");
    public static readonly ParcelId ToHome = new("p-home");
    public static readonly ParcelId Late = new("p-late");

    private static readonly StopPlace Shop = new StopPlace.Shop(new ShopId("s-1"), "Boulangerie", new GeoPoint(47.39, 0.68));
    private static readonly StopPlace Locker = new StopPlace.Locker(new LockerId("l-1"), "Consigne", new GeoPoint(47.40, 0.69));
    private static readonly StopPlace Home = new StopPlace.Home(new Recipient(
        new PersonId("person-1"), "Camille", "+33 6 00 00 00 00", null, new HomeAddress("3 rue Colbert", "37000", "Tours", new GeoPoint(47.395, 0.685))));

    public static readonly RoundStop Pickup = new("a", Shop, [new(ToLocker, TaskKind.PickUp, ParcelSize.S), new(ToHome, TaskKind.PickUp, ParcelSize.M)], null, T0.AddMinutes(5));
    public static readonly RoundStop Deposit = new("b", Locker, [new(ToLocker, TaskKind.Deposit, ParcelSize.S, 3)], null, T0.AddMinutes(12));
    public static readonly RoundStop Deliver = new("c", Home, [new(ToHome, TaskKind.Deliver, ParcelSize.M)], new TimeWindow(T0.AddHours(1), T0.AddHours(3)), T0.AddHours(1));

    /// <summary>The courier's reason, as the parcel recorded it for its recipient.</summary>
    public static PersonalText Said(string text) => new(new PersonId("person-1"), text);

    public static readonly IReadOnlyList<RoundStop> Stops = [Pickup, Deposit, Deliver];
    public static readonly RoundPlanned Planned = new(Id, Ana, Stops, 4.2, T0);

    private static DeciderSpec<Round, RoundCommand, RoundEvent> Given(params RoundEvent[] history) =>
        new DeciderSpec<Round, RoundCommand, RoundEvent>(RoundDecider.Decide, Round.Evolve, Round.Initial).Given(history);

    private static ParcelActionDone Done(RoundStop stop, ParcelId parcel, TaskKind kind, int minutes) => new(Id, stop.StopId, parcel, kind, T0.AddMinutes(minutes));

    private static RoundEvent[] PickedUpBoth =>
        [Planned, Done(Pickup, ToLocker, TaskKind.PickUp, 5), Done(Pickup, ToHome, TaskKind.PickUp, 6), new StopCompleted(Id, "a", T0.AddMinutes(6))];

    private static RoundTrack TrackAfter(DeciderSpec<Round, RoundCommand, RoundEvent> spec) =>
        Round.TrackOf(spec.ThenState()) ?? throw new InvalidOperationException("No round.");
}
