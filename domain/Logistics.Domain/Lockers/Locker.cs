using System.Collections.Immutable;

namespace Logistics.Domain.Lockers;

/// <summary>The state of a locker: its compartments, active alarms and link status.</summary>
public abstract partial record Locker
{
    private Locker()
    {
    }

    public static Locker Initial { get; } = new NotRegistered();

    public sealed record NotRegistered : Locker;

    public sealed partial record Registered(
        LockerId Id,
        string Name,
        GeoPoint Location,
        string Address,
        ImmutableSortedDictionary<int, Compartment> Compartments,
        ImmutableList<LockerAlarm> Alarms,
        bool Online,
        DateTimeOffset? LastSeenAt,
        DateTimeOffset RegisteredAt) : Locker;

    /// <summary>
    /// Applies one event. Events come from <see cref="LockerDecider.Decide"/>, so one that does not fit can only
    /// come from a foreign write; it is ignored so that a history always replays.
    /// </summary>
    public static Locker Evolve(Locker state, LockerEvent e) => (state, e) switch
    {
        (NotRegistered, LockerRegistered r) => new Registered(
            r.LockerId,
            r.Name,
            r.Location,
            r.Address,
            r.Compartments.ToImmutableSortedDictionary(
                c => c.Number,
                c => new Compartment(c.Number, c.Size, c.LowHeight, new CompartmentStatus.Free(), DoorOpen: false)),
            [],
            Online: false,
            LastSeenAt: null,
            r.At),
        (Registered s, CompartmentReserved r) => s.WithStatus(r.Compartment, new CompartmentStatus.Reserved(r.Parcel)),
        (Registered s, CompartmentOccupied o) => s.WithStatus(o.Compartment, new CompartmentStatus.Occupied(o.Parcel)),
        (Registered s, CompartmentFreed f) => s.WithStatus(f.Compartment, new CompartmentStatus.Free()),
        (Registered s, ReservationCancelled c) => s.WithStatus(c.Compartment, new CompartmentStatus.Free()),
        (Registered s, CompartmentTakenOutOfService o) => s.WithStatus(o.Compartment, new CompartmentStatus.OutOfService(o.Reason)),
        (Registered s, CompartmentReturnedToService r) => s.WithStatus(r.Compartment, new CompartmentStatus.Free()),
        (Registered s, DoorOpened d) => s.WithDoor(d.Compartment, open: true),
        (Registered s, DoorClosed d) => s.WithDoor(d.Compartment, open: false, d.At),
        (Registered s, CompartmentEmptying m) => s.WithStatus(m.Compartment, new CompartmentStatus.Emptying(m.Parcel)),
        (Registered s, AlarmRaised a) => s with { Alarms = s.Alarms.Add(new LockerAlarm(a.Kind, a.Compartment, a.At)) },
        (Registered s, AlarmCleared a) => s with { Alarms = s.Alarms.RemoveAll(x => x.Kind == a.Kind && x.Compartment == a.Compartment) },
        (Registered s, LockerWentOnline o) => s with { Online = true, LastSeenAt = o.At },
        (Registered s, LockerWentOffline) => s with { Online = false },
        _ => state,
    };

    public static Locker Fold(IEnumerable<LockerEvent> events) => events.Aggregate(Initial, Evolve);

    public sealed partial record Registered
    {
        internal Registered WithStatus(int number, CompartmentStatus status) =>
            Compartments.TryGetValue(number, out var c)
                ? this with { Compartments = Compartments.SetItem(number, c with { Status = status }) }
                : this;

        internal Registered WithDoor(int number, bool open, DateTimeOffset? closedAt = null) =>
            Compartments.TryGetValue(number, out var c)
                ? this with { Compartments = Compartments.SetItem(number, c with { DoorOpen = open, LastClosedAt = closedAt ?? c.LastClosedAt }) }
                : this;
    }
}
