using Logistics.Application.Networks;
using Logistics.Domain.Lockers;
using Logistics.EventStore.Subscriptions;
using Npgsql;

namespace Logistics.Application.Projections;

/// <summary>The bulk rebuild: lockers, compartments and alarms in memory, changed as <see cref="ApplyAsync"/>'s SQL changes them, then copied.</summary>
public sealed partial class LockersProjection
{
    public bool Reads(Type eventClass) => typeof(LockerEvent).IsAssignableFrom(eventClass);

    public IProjectionBuilder StartRebuild() => new Builder();

    private sealed record LockerRow(string Name, string Address, double Lat, double Lon, string Network)
    {
        public bool Online { get; set; }

        public DateTimeOffset? LastSeenAt { get; set; }

        public required DateTimeOffset UpdatedAt { get; set; }
    }

    private sealed record CompartmentRow(string Size, bool LowHeight)
    {
        public string Status { get; set; } = "free";

        public string? ParcelId { get; set; }

        public bool DoorOpen { get; set; }
    }

    private sealed class Builder : IProjectionBuilder
    {
        private readonly Dictionary<string, LockerRow> _lockers = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Locker, int Number), CompartmentRow> _compartments = [];
        private readonly Dictionary<(string Locker, string Kind, int Compartment), DateTimeOffset> _alarms = [];

        public ValueTask ApplyAsync(NpgsqlConnection connection, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
        {
            foreach (var envelope in events)
            {
                Apply((LockerEvent)envelope.Event, envelope.Network());
            }

            return ValueTask.CompletedTask;
        }

        public async Task CompleteAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            await using (var copy = await BulkCopy.BeginAsync(
                connection, "rm_lockers", "locker_id, name, address, lat, lon, online, last_seen_at, updated_at, network_id", cancellationToken))
            {
                foreach (var (id, l) in _lockers)
                {
                    copy.StartRow();
                    copy.Text(id);
                    copy.Text(l.Name);
                    copy.Text(l.Address);
                    copy.Double(l.Lat);
                    copy.Double(l.Lon);
                    copy.Bool(l.Online);
                    copy.Time(l.LastSeenAt);
                    copy.Time(l.UpdatedAt);
                    copy.Text(l.Network);
                }

                await copy.CompleteAsync(cancellationToken);
            }

            await using (var copy = await BulkCopy.BeginAsync(
                connection, "rm_compartments", "locker_id, number, size, low_height, status, parcel_id, door_open", cancellationToken))
            {
                foreach (var ((locker, number), c) in _compartments)
                {
                    copy.StartRow();
                    copy.Text(locker);
                    copy.Int(number);
                    copy.Text(c.Size);
                    copy.Bool(c.LowHeight);
                    copy.Text(c.Status);
                    copy.Text(c.ParcelId);
                    copy.Bool(c.DoorOpen);
                }

                await copy.CompleteAsync(cancellationToken);
            }

            await using (var copy = await BulkCopy.BeginAsync(connection, "rm_locker_alarms", "locker_id, kind, compartment, raised_at", cancellationToken))
            {
                foreach (var ((locker, kind, compartment), raisedAt) in _alarms)
                {
                    copy.StartRow();
                    copy.Text(locker);
                    copy.Text(kind);
                    copy.Int(compartment);
                    copy.Time(raisedAt);
                }

                await copy.CompleteAsync(cancellationToken);
            }
        }

        private void Apply(LockerEvent e, string network)
        {
            var id = e.LockerId.Value;
            switch (e)
            {
                case LockerRegistered r:
                    _lockers.TryAdd(id, new LockerRow(r.Name, r.Address, r.Location.Latitude, r.Location.Longitude, network) { UpdatedAt = r.At });
                    foreach (var c in r.Compartments)
                    {
                        _compartments.TryAdd((id, c.Number), new CompartmentRow(c.Size.ToString(), c.LowHeight));
                    }

                    break;
                case CompartmentReserved c:
                    Compartment(id, c.Compartment, x => (x.Status, x.ParcelId) = ("reserved", c.Parcel.Value));
                    break;
                case CompartmentOccupied c:
                    Compartment(id, c.Compartment, x => (x.Status, x.ParcelId) = ("occupied", c.Parcel.Value));
                    break;
                case CompartmentFreed c:
                    Compartment(id, c.Compartment, x => (x.Status, x.ParcelId) = ("free", null));
                    break;
                case ReservationCancelled c:
                    Compartment(id, c.Compartment, x => (x.Status, x.ParcelId) = ("free", null));
                    break;
                case CompartmentTakenOutOfService c:
                    Compartment(id, c.Compartment, x => x.Status = "out_of_service");
                    break;
                case CompartmentReturnedToService c:
                    Compartment(id, c.Compartment, x => (x.Status, x.ParcelId) = ("free", null));
                    break;
                case DoorOpened d:
                    Compartment(id, d.Compartment, x => x.DoorOpen = true);
                    break;
                case DoorClosed d:
                    Compartment(id, d.Compartment, x => x.DoorOpen = false);
                    break;
                case AlarmRaised a:
                    _alarms.TryAdd((id, a.Kind.ToString(), a.Compartment ?? 0), a.At);
                    break;
                case AlarmCleared a:
                    _alarms.Remove((id, a.Kind.ToString(), a.Compartment ?? 0));
                    break;
                case LockerWentOnline o when _lockers.TryGetValue(id, out var locker):
                    (locker.Online, locker.LastSeenAt, locker.UpdatedAt) = (true, o.At, o.At);
                    break;
                case LockerWentOffline o when _lockers.TryGetValue(id, out var locker):
                    (locker.Online, locker.UpdatedAt) = (false, o.At);
                    break;
            }
        }

        private void Compartment(string locker, int number, Action<CompartmentRow> change)
        {
            if (_compartments.TryGetValue((locker, number), out var row))
            {
                change(row);
            }
        }
    }
}
