using Logistics.Domain.Lockers;

namespace Logistics.Domain.Tests.Lockers;

/// <summary>Decider tests for the locker; the fixture locker and histories live here.</summary>
public partial class LockerTests
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    public static readonly LockerId Id = new("l-halles");
    public static readonly ParcelId P1 = new("p-1");
    public static readonly ParcelId P2 = new("p-2");
    public static readonly GeoPoint Location = new(47.3936, 0.6892);

    /// <summary>1: S, 2: S low, 3: M, 4: M low, 5: L, 6: L low.</summary>
    public static readonly CompartmentSpec[] Layout =
    [
        new(1, ParcelSize.S, false),
        new(2, ParcelSize.S, true),
        new(3, ParcelSize.M, false),
        new(4, ParcelSize.M, true),
        new(5, ParcelSize.L, false),
        new(6, ParcelSize.L, true),
    ];

    private static DeciderSpec<Locker, LockerCommand, LockerEvent> Given(params LockerEvent[] history) =>
        new DeciderSpec<Locker, LockerCommand, LockerEvent>(LockerDecider.Decide, Locker.Evolve, Locker.Initial).Given(history);

    public static LockerRegistered Registered(params CompartmentSpec[] layout) =>
        new(Id, "Les Halles", Location, "Place Gaston Pailhou, Tours", layout.Length == 0 ? Layout : layout, T0);

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    public static CompartmentReserved Reserved(int number, ParcelId parcel, ParcelSize size = ParcelSize.S) => new(Id, number, parcel, size, At(10));

    public static CompartmentOccupied Occupied(int number, ParcelId parcel) => new(Id, number, parcel, At(20));

    public static Locker.Registered State(params LockerEvent[] history) => Assert.IsType<Locker.Registered>(Locker.Fold(history));
}
