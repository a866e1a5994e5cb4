using Logistics.Domain;
using Logistics.Domain.Couriers;
using Logistics.Domain.Lockers;
using Logistics.Domain.Shops;
using Logistics.EventStore;

namespace Logistics.Testing.History;

/// <summary>
/// A generated département's history in the real event types, for rebuild measurements (<c>perf -- rebuild</c>) and
/// the test that a rebuilt read model equals the live one. Lockers, shops and couriers are registered first; then,
/// day after day, shops register parcels (each recipient sealed under their own key, some of them regular customers),
/// every courier's round of the next morning picks them up and deposits them in reserved compartments, at relay
/// shops or at homes, and recipients collect them over the following days: wrong codes, blocks, reminders,
/// extensions, expiries and returns, failed home deliveries redirected to a locker mid-round, cancellations,
/// erasures, lockers going offline, alarms, compartments out of service. Deterministic for a seed; the appends come
/// in time order, each to one stream, as an API node would have made them.
/// </summary>
public sealed partial class DepartementHistory
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly HistoryShape _shape;
    private readonly Random _random;
    private readonly PriorityQueue<HistoryAppend, (DateTimeOffset At, long Order)> _pending = new();
    private readonly List<LockerPlace> _lockers = [];
    private readonly List<ShopPlace> _shops = [];
    private readonly List<CourierId> _couriers = [];
    private long _order;

    public DepartementHistory(HistoryShape shape, int seed = 13)
    {
        _shape = shape;
        _random = new Random(seed);
    }

    /// <summary>Every append of the history, in time order.</summary>
    public IEnumerable<HistoryAppend> Appends()
    {
        RegisterNetwork(Start.AddHours(-1));
        var waiting = new List<ParcelPlan>();
        for (var day = 0; day < _shape.Days; day++)
        {
            var dayStart = Start.AddDays(day);
            LockerIncidents(dayStart);
            // What was registered yesterday is carried today.
            PlanRounds(dayStart, waiting);
            waiting = [];

            // Nothing registers on the last day: its parcels would never be carried.
            if (day < _shape.Days - 1)
            {
                waiting.AddRange(RegisterParcels(dayStart));
            }

            foreach (var append in Drain(dayStart.AddDays(1)))
            {
                yield return append;
            }
        }

        CloseSome(Start.AddDays(_shape.Days + 12));
        foreach (var append in Drain(DateTimeOffset.MaxValue))
        {
            yield return append;
        }
    }

    private IEnumerable<HistoryAppend> Drain(DateTimeOffset before)
    {
        while (_pending.TryPeek(out _, out var priority) && priority.At < before)
        {
            yield return _pending.Dequeue();
        }
    }

    private void Emit(string stream, DateTimeOffset at, string actorKind, string actorId, params object[] events) =>
        _pending.Enqueue(
            new HistoryAppend(stream, events, new EventMetadata(at, actorKind, actorId, Guid.NewGuid())),
            (at, _order++));

    private void RegisterNetwork(DateTimeOffset at)
    {
        for (var i = 0; i < _shape.Lockers; i++)
        {
            var id = new LockerId($"L{i:D4}");
            var count = 20 + (i * 7 % 41);
            var specs = Enumerable.Range(1, count)
                .Select(n => new CompartmentSpec(n, n % 6 == 0 ? ParcelSize.L : n % 3 == 0 ? ParcelSize.M : ParcelSize.S, n % 5 == 0))
                .ToList();
            var place = new LockerPlace(id, $"Consigne {i}", Point(), specs);
            _lockers.Add(place);
            Emit(StreamName.For(id), at, "operator", "federation",
                new LockerRegistered(id, place.Name, place.Position, $"{i} place de la Mairie, 13{i % 100:D3}", specs, at));
        }

        for (var i = 0; i < _shape.Shops; i++)
        {
            var id = new ShopId($"S{i:D5}");
            var relay = i % 9 == 0;
            var place = new ShopPlace(i, id, $"Boutique {i}", Point(), relay);
            _shops.Add(place);
            Emit(StreamName.For(id), at, "operator", "federation",
                new ShopRegistered(id, place.Name, $"{i} rue du Commerce, 13{i % 100:D3}", place.Position, relay, at));
        }

        for (var i = 0; i < _shape.Couriers; i++)
        {
            var id = new CourierId($"C{i:D4}");
            _couriers.Add(id);
            var van = i % 4 == 0;
            Emit(StreamName.For(id), at, "operator", "federation",
                new CourierRegistered(id, $"Coursier {i}", van ? Vehicle.Van : Vehicle.CargoBike, van ? 400 : 120, at));
        }
    }

    private void LockerIncidents(DateTimeOffset dayStart)
    {
        foreach (var locker in _lockers)
        {
            var stream = StreamName.For(locker.Id);
            var roll = _random.NextDouble();
            if (roll < 0.05)
            {
                var down = dayStart.AddMinutes(_random.Next(60, 1200));
                Emit(stream, down, "system", "gateway", new LockerWentOffline(locker.Id, down));
                Emit(stream, down.AddSeconds(1), "system", "gateway", new AlarmRaised(locker.Id, AlarmKind.ControllerOffline, null, down.AddSeconds(1)));
                var up = down.AddMinutes(_random.Next(5, 90));
                Emit(stream, up, "locker", locker.Id.Value, new LockerWentOnline(locker.Id, up));
                Emit(stream, up.AddSeconds(1), "system", "gateway", new AlarmCleared(locker.Id, AlarmKind.ControllerOffline, null, up.AddSeconds(1)));
            }
            else if (roll < 0.08)
            {
                // A compartment free before the morning's planning goes out of service for a while and comes back.
                var from = dayStart.AddHours(5);
                var number = Array.FindIndex(locker.BusyUntil, b => b <= from) + 1;
                if (number > 0)
                {
                    var back = dayStart.AddHours(6).AddMinutes(_random.Next(0, 50));
                    locker.BusyUntil[number - 1] = back;
                    Emit(stream, from, "operator", "federation", new CompartmentTakenOutOfService(locker.Id, number, "lock stuck", from));
                    Emit(stream, from.AddSeconds(2), "locker", locker.Id.Value, new AlarmRaised(locker.Id, AlarmKind.LockStuck, number, from.AddSeconds(2)));
                    Emit(stream, back, "locker", locker.Id.Value, new AlarmCleared(locker.Id, AlarmKind.LockStuck, number, back));
                    Emit(stream, back.AddSeconds(1), "operator", "federation", new CompartmentReturnedToService(locker.Id, number, back.AddSeconds(1)));
                }
            }
        }
    }

    private void CloseSome(DateTimeOffset at)
    {
        for (var i = 0; i < _shops.Count; i += 97)
        {
            Emit(StreamName.For(_shops[i].Id), at, "operator", "federation", new ShopClosed(_shops[i].Id, at));
        }

        for (var i = 3; i < _shops.Count; i += 131)
        {
            var relay = !_shops[i].Relay;
            Emit(StreamName.For(_shops[i].Id), at.AddMinutes(1), "operator", "federation", new RelayPointChanged(_shops[i].Id, relay, at.AddMinutes(1)));
        }

        var courier = _couriers[^1];
        Emit(StreamName.For(courier), at.AddMinutes(2), "operator", "federation", new CourierDeactivated(courier, "left the federation", at.AddMinutes(2)));
    }

    private GeoPoint Point() => new(43.2 + (_random.NextDouble() * 0.5), 5.2 + (_random.NextDouble() * 0.6));

    private sealed record LockerPlace(LockerId Id, string Name, GeoPoint Position, IReadOnlyList<CompartmentSpec> Compartments)
    {
        /// <summary>When each compartment is next free (reservations are decided ahead, so never twice at once).</summary>
        public DateTimeOffset[] BusyUntil { get; } = new DateTimeOffset[Compartments.Count];
    }

    private sealed record ShopPlace(int Index, ShopId Id, string Name, GeoPoint Position, bool Relay);
}

/// <summary>How big a history: its network, and how many parcels a day over how many days.</summary>
public sealed record HistoryShape(int Lockers, int Shops, int Couriers, int ParcelsPerDay, int Days)
{
    /// <summary>A département (Commerce en 13's size): 300 lockers, 2,100 shops, 150 couriers, 20,000 parcels a day.</summary>
    public static HistoryShape Departement(int days) => new(300, 2_100, 150, 20_000, days);

    /// <summary>A few days of a small network: every kind of event, a few thousand of them.</summary>
    public static HistoryShape Small => new(6, 24, 4, 60, 9);
}

/// <summary>Events appended together to one stream, with their metadata (the stream's version follows from the order).</summary>
public sealed record HistoryAppend(string Stream, IReadOnlyList<object> Events, EventMetadata Metadata);
