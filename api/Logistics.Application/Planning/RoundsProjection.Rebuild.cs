using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;
using Logistics.EventStore.Subscriptions;
using Npgsql;

namespace Logistics.Application.Planning;

/// <summary>
/// The bulk rebuild: each round with its stops and parcels in memory, changed as <see cref="ApplyAsync"/>'s SQL changes
/// them (stops renumbered before new ones are added, kept stops marked on a re-plan), then copied.
/// </summary>
public sealed partial class RoundsProjection
{
    public bool Reads(Type eventClass) =>
        typeof(RoundEvent).IsAssignableFrom(eventClass) || eventClass == typeof(RecipientErased) || eventClass == typeof(ParcelDeposited);

    public IProjectionBuilder StartRebuild() => new Builder();

    private sealed class RoundRow(string courierId, DateTimeOffset plannedAt, double distanceKm)
    {
        public string CourierId { get; } = courierId;

        public DateTimeOffset PlannedAt { get; } = plannedAt;

        public string Status { get; set; } = "active";

        public double DistanceKm { get; set; } = distanceKm;

        public DateTimeOffset UpdatedAt { get; set; } = plannedAt;

        /// <summary>What the last re-plan changed for the courier (JSON, as <see cref="RoundJson.Changes"/> writes it).</summary>
        public string? Changes { get; set; }

        public DateTimeOffset? ChangedAt { get; set; }
    }

    private sealed class StopRow
    {
        public required string StopId { get; init; }

        public int Sequence { get; set; }

        public required string PlaceKind { get; init; }

        public string? PlaceId { get; init; }

        public required string PlaceName { get; set; }

        public string? Address { get; set; }

        public string? PersonId { get; init; }

        public double? Lat { get; set; }

        public double? Lon { get; set; }

        public DateTimeOffset? WindowFrom { get; init; }

        public DateTimeOffset? WindowTo { get; init; }

        public DateTimeOffset PlannedArrival { get; init; }

        public string Status { get; set; } = "pending";

        public DateTimeOffset? PromisedBy { get; init; }

        public int? LateMinutes { get; init; }

        public DateTimeOffset? BreakFrom { get; init; }

        public int? BreakMinutes { get; init; }

        public bool? BreakBefore { get; init; }
    }

    private sealed record TaskRow(string StopId, string ParcelId, int Position, string Action, string Size)
    {
        public int? Compartment { get; set; }

        public bool Done { get; set; }

        public bool Failed { get; set; }
    }

    /// <summary>A round's rows; <see cref="Row"/> is null for stops of a round never planned, as the SQL would leave them.</summary>
    private sealed class RoundRows
    {
        public RoundRow? Row { get; set; }

        private readonly Dictionary<string, StopRow> _stopsById = new(StringComparer.Ordinal);

        // The stops holding a failed task. A failed task is never removed (a re-plan drops only what is neither done nor
        // failed), so a stop once in here stays in the round and in here.
        private readonly HashSet<string> _failedStops = new(StringComparer.Ordinal);

        public List<StopRow> Stops { get; } = [];

        public Dictionary<(string Stop, string Parcel), TaskRow> Tasks { get; } = [];

        public StopRow? Stop(string stopId) => _stopsById.GetValueOrDefault(stopId);

        public void Add(StopRow stop)
        {
            Stops.Add(stop);
            _stopsById[stop.StopId] = stop;
        }

        /// <summary>Drops the pending stops that hold no task any more.</summary>
        public void DropPendingWithout(HashSet<string> holding)
        {
            foreach (var stop in Stops.Where(s => s.Status == "pending" && !holding.Contains(s.StopId)))
            {
                _stopsById.Remove(stop.StopId);
            }

            Stops.RemoveAll(s => s.Status == "pending" && !holding.Contains(s.StopId));
        }

        public void Failed(string stopId, string parcel)
        {
            if (Tasks.TryGetValue((stopId, parcel), out var task))
            {
                task.Failed = true;
                _failedStops.Add(stopId);
            }
        }

        public string StatusOfKept(string stopId) => _failedStops.Contains(stopId) ? "failed" : "done";
    }

    private sealed class Builder : IProjectionBuilder
    {
        private readonly Dictionary<string, RoundRows> _rounds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<StopRow>> _homesByPerson = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<TaskRow>> _tasksByParcel = new(StringComparer.Ordinal);

        public ValueTask ApplyAsync(NpgsqlConnection connection, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
        {
            foreach (var envelope in events)
            {
                Apply(envelope.Event);
            }

            return ValueTask.CompletedTask;
        }

        public async Task CompleteAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            await using (var copy = await BulkCopy.BeginAsync(
                connection, "rm_rounds", "round_id, courier_id, planned_at, status, distance_km, updated_at, changes, changed_at", cancellationToken))
            {
                foreach (var (id, round) in _rounds)
                {
                    if (round.Row is { } r)
                    {
                        copy.StartRow();
                        copy.Text(id);
                        copy.Text(r.CourierId);
                        copy.Time(r.PlannedAt);
                        copy.Text(r.Status);
                        copy.Double(r.DistanceKm);
                        copy.Time(r.UpdatedAt);
                        if (r.Changes is null)
                        {
                            copy.WriteNull();
                        }
                        else
                        {
                            copy.Write(r.Changes, NpgsqlTypes.NpgsqlDbType.Jsonb);
                        }

                        copy.Time(r.ChangedAt);
                    }
                }

                await copy.CompleteAsync(cancellationToken);
            }

            await using (var copy = await BulkCopy.BeginAsync(
                connection,
                "rm_round_stops",
                "round_id, stop_id, sequence, place_kind, place_id, place_name, address, person_id, lat, lon, window_from, window_to, planned_arrival, status, " +
                "promised_by, late_minutes, break_from, break_minutes, break_before",
                cancellationToken))
            {
                foreach (var (id, round) in _rounds)
                {
                    foreach (var s in round.Stops)
                    {
                        copy.StartRow();
                        copy.Text(id);
                        copy.Text(s.StopId);
                        copy.Int(s.Sequence);
                        copy.Text(s.PlaceKind);
                        copy.Text(s.PlaceId);
                        copy.Text(s.PlaceName);
                        copy.Text(s.Address);
                        copy.Text(s.PersonId);
                        copy.Double(s.Lat);
                        copy.Double(s.Lon);
                        copy.Time(s.WindowFrom);
                        copy.Time(s.WindowTo);
                        copy.Time(s.PlannedArrival);
                        copy.Text(s.Status);
                        copy.Time(s.PromisedBy);
                        copy.Int(s.LateMinutes);
                        copy.Time(s.BreakFrom);
                        copy.Int(s.BreakMinutes);
                        if (s.BreakBefore is { } before)
                        {
                            copy.Bool(before);
                        }
                        else
                        {
                            copy.WriteNull();
                        }
                    }
                }

                await copy.CompleteAsync(cancellationToken);
            }

            await using (var copy = await BulkCopy.BeginAsync(
                connection, "rm_round_parcels", "round_id, stop_id, parcel_id, position, action, size, compartment, done, failed", cancellationToken))
            {
                foreach (var (id, round) in _rounds)
                {
                    foreach (var t in round.Tasks.Values)
                    {
                        copy.StartRow();
                        copy.Text(id);
                        copy.Text(t.StopId);
                        copy.Text(t.ParcelId);
                        copy.Int(t.Position);
                        copy.Text(t.Action);
                        copy.Text(t.Size);
                        copy.Int(t.Compartment);
                        copy.Bool(t.Done);
                        copy.Bool(t.Failed);
                    }
                }

                await copy.CompleteAsync(cancellationToken);
            }
        }

        private RoundRows Round(RoundId id)
        {
            if (!_rounds.TryGetValue(id.Value, out var round))
            {
                round = new RoundRows();
                _rounds[id.Value] = round;
            }

            return round;
        }

        private void Apply(object e)
        {
            switch (e)
            {
                case RoundPlanned p:
                    var planned = Round(p.RoundId);
                    planned.Row ??= new RoundRow(p.Courier.Value, p.At, p.DistanceKm);
                    InsertStops(planned, p.Stops);
                    break;
                case RoundReplanned r:
                    Replan(Round(r.RoundId), r);
                    break;
                case ParcelActionDone d:
                    Task(d.RoundId, d.StopId, d.Parcel, t => t.Done = true);
                    Touch(d);
                    break;
                case StopFailed f:
                    if (_rounds.TryGetValue(f.RoundId.Value, out var failing))
                    {
                        failing.Failed(f.StopId, f.Parcel.Value);
                    }

                    Touch(f);
                    break;
                case StopCompleted c:
                    if (_rounds.TryGetValue(c.RoundId.Value, out var round) && round.Stop(c.StopId) is { } stop)
                    {
                        stop.Status = round.StatusOfKept(c.StopId);
                    }

                    Touch(c);
                    break;
                case RoundCompleted c:
                    Status(c, "completed");
                    break;
                case RoundCancelled c:
                    Status(c, "cancelled");
                    break;
                case RecipientErased erased when _homesByPerson.TryGetValue(erased.Person.Value, out var homes):
                    foreach (var home in homes)
                    {
                        (home.PlaceName, home.Address, home.Lat, home.Lon) = ("[erased]", null, null, null);
                    }

                    break;
                case ParcelDeposited d when _tasksByParcel.TryGetValue(d.ParcelId.Value, out var tasks):
                    // The compartment actually used, should the locker have chosen another than the one reserved.
                    foreach (var task in tasks.Where(t => t.Action == "deposit" && t.Done))
                    {
                        task.Compartment = d.Compartment;
                    }

                    break;
            }
        }

        private void Task(RoundId round, string stopId, ParcelId parcel, Action<TaskRow> change)
        {
            if (_rounds.TryGetValue(round.Value, out var rows) && rows.Tasks.TryGetValue((stopId, parcel.Value), out var task))
            {
                change(task);
            }
        }

        private void Touch(RoundEvent e)
        {
            if (_rounds.TryGetValue(e.RoundId.Value, out var round) && round.Row is { } row)
            {
                row.UpdatedAt = e.At;
            }
        }

        private void Status(RoundEvent e, string status)
        {
            if (_rounds.TryGetValue(e.RoundId.Value, out var round) && round.Row is { } row)
            {
                (row.Status, row.UpdatedAt) = (status, e.At);
            }
        }

        // As ReplanAsync: pending stops lose what is not done, empty ones go, the others are kept as done (or failed).
        private void Replan(RoundRows round, RoundReplanned r)
        {
            var pending = round.Stops.Where(s => s.Status == "pending").Select(s => s.StopId).ToHashSet(StringComparer.Ordinal);
            foreach (var key in round.Tasks.Where(t => pending.Contains(t.Value.StopId) && !t.Value.Done && !t.Value.Failed).Select(t => t.Key).ToList())
            {
                round.Tasks.Remove(key);
            }

            // Which stops still hold a task, and which a failed one: once per re-plan, not once per stop.
            var holding = new HashSet<string>(StringComparer.Ordinal);
            var failed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var task in round.Tasks.Values)
            {
                holding.Add(task.StopId);
                if (task.Failed)
                {
                    failed.Add(task.StopId);
                }
            }

            round.DropPendingWithout(holding);
            foreach (var stop in round.Stops.Where(s => s.Status == "pending"))
            {
                stop.Status = failed.Contains(stop.StopId) ? "failed" : "done";
            }

            InsertStops(round, r.Stops);
            if (round.Row is { } row)
            {
                (row.DistanceKm, row.UpdatedAt, row.Changes, row.ChangedAt) = (r.DistanceKm, r.At, RoundJson.Changes(r.Changes), r.At);
            }
        }

        // As InsertStopsAsync: the round's stops renumbered 1..n, then the new ones after them (a stop or parcel already there stays).
        private void InsertStops(RoundRows round, IReadOnlyList<RoundStop> stops)
        {
            var next = 0;
            foreach (var stop in round.Stops.OrderBy(s => s.Sequence))
            {
                stop.Sequence = ++next;
            }

            foreach (var stop in stops)
            {
                next++;
                if (round.Stop(stop.StopId) is null)
                {
                    var (kind, placeId, name, address, person) = Place(stop.Place);
                    var point = stop.Place.Point();
                    var row = new StopRow
                    {
                        StopId = stop.StopId,
                        Sequence = next,
                        PlaceKind = kind,
                        PlaceId = placeId,
                        PlaceName = name,
                        Address = address,
                        PersonId = person,
                        Lat = point?.Latitude,
                        Lon = point?.Longitude,
                        WindowFrom = stop.Window?.From,
                        WindowTo = stop.Window?.To,
                        PlannedArrival = stop.PlannedArrival,
                        PromisedBy = stop.PromisedBy,
                        LateMinutes = stop.LateBy is { } late ? (int)Math.Ceiling(late.TotalMinutes) : null,
                        BreakFrom = stop.Break?.From,
                        BreakMinutes = stop.Break is { } rest ? (int)Math.Round(rest.Length.TotalMinutes) : null,
                        BreakBefore = stop.Break?.BeforeStop,
                    };
                    round.Add(row);
                    if (person is not null)
                    {
                        Add(_homesByPerson, person, row);
                    }
                }

                var position = 0;
                foreach (var task in stop.Parcels)
                {
                    var key = (stop.StopId, task.Parcel.Value);
                    var row = new TaskRow(stop.StopId, task.Parcel.Value, position++, RoundJson.Action(task.Kind), task.Size.ToString())
                    {
                        Compartment = task.Compartment,
                    };
                    if (round.Tasks.TryAdd(key, row))
                    {
                        Add(_tasksByParcel, task.Parcel.Value, row);
                    }
                }
            }
        }

        private static void Add<T>(Dictionary<string, List<T>> index, string key, T value)
        {
            if (!index.TryGetValue(key, out var list))
            {
                list = [];
                index[key] = list;
            }

            list.Add(value);
        }
    }
}
