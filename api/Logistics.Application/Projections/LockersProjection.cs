using Logistics.Application.Networks;
using Logistics.Domain.Lockers;
using Logistics.EventStore.Subscriptions;

namespace Logistics.Application.Projections;

/// <summary>Lockers, their compartments and alarms: occupancy for operators, free sizes for redirection and planning.</summary>
public sealed partial class LockersProjection : IBulkProjection
{
    public string Name => "lockers";

    public Task EnsureSchemaAsync(ProjectionContext context, CancellationToken cancellationToken) => context.ExecuteAsync(
        """
        create table if not exists rm_lockers (
            locker_id text primary key,
            name text not null,
            address text not null,
            lat double precision not null,
            lon double precision not null,
            online boolean not null default false,
            last_seen_at timestamptz,
            updated_at timestamptz not null
        );
        alter table rm_lockers add column if not exists network_id text not null default 'main';
        create table if not exists rm_compartments (
            locker_id text not null,
            number int not null,
            size text not null,
            low_height boolean not null,
            status text not null,
            parcel_id text,
            door_open boolean not null default false,
            primary key (locker_id, number)
        );
        create table if not exists rm_locker_alarms (
            locker_id text not null,
            kind text not null,
            compartment int not null,
            raised_at timestamptz not null,
            primary key (locker_id, kind, compartment)
        );
        """,
        cancellationToken);

    public Task ResetAsync(ProjectionContext context, CancellationToken cancellationToken) =>
        context.ExecuteAsync("truncate rm_lockers, rm_compartments, rm_locker_alarms", cancellationToken);

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        foreach (var envelope in events)
        {
            if (envelope.Event is not LockerEvent e)
            {
                continue;
            }

            var id = e.LockerId.Value;
            switch (e)
            {
                case LockerRegistered r:
                    await context.ExecuteAsync(
                        "insert into rm_lockers (locker_id, name, address, lat, lon, updated_at, network_id) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
                        cancellationToken, id, r.Name, r.Address, r.Location.Latitude, r.Location.Longitude, r.At, envelope.Network());
                    foreach (var c in r.Compartments)
                    {
                        await context.ExecuteAsync(
                            "insert into rm_compartments (locker_id, number, size, low_height, status) values ($1, $2, $3, $4, 'free') on conflict do nothing",
                            cancellationToken, id, c.Number, c.Size.ToString(), c.LowHeight);
                    }

                    break;
                case CompartmentReserved c:
                    await Compartment(context, id, c.Compartment, "status = 'reserved', parcel_id = $3", cancellationToken, c.Parcel.Value);
                    break;
                case CompartmentOccupied c:
                    await Compartment(context, id, c.Compartment, "status = 'occupied', parcel_id = $3", cancellationToken, c.Parcel.Value);
                    break;
                case CompartmentFreed c:
                    await Compartment(context, id, c.Compartment, "status = 'free', parcel_id = null", cancellationToken);
                    break;
                case ReservationCancelled c:
                    await Compartment(context, id, c.Compartment, "status = 'free', parcel_id = null", cancellationToken);
                    break;
                case CompartmentTakenOutOfService c:
                    await Compartment(context, id, c.Compartment, "status = 'out_of_service'", cancellationToken);
                    break;
                case CompartmentReturnedToService c:
                    await Compartment(context, id, c.Compartment, "status = 'free', parcel_id = null", cancellationToken);
                    break;
                case DoorOpened d:
                    await Compartment(context, id, d.Compartment, "door_open = true", cancellationToken);
                    break;
                case DoorClosed d:
                    await Compartment(context, id, d.Compartment, "door_open = false", cancellationToken);
                    break;
                case AlarmRaised a:
                    await context.ExecuteAsync(
                        "insert into rm_locker_alarms (locker_id, kind, compartment, raised_at) values ($1, $2, $3, $4) on conflict do nothing",
                        cancellationToken, id, a.Kind.ToString(), a.Compartment ?? 0, a.At);
                    break;
                case AlarmCleared a:
                    await context.ExecuteAsync(
                        "delete from rm_locker_alarms where locker_id = $1 and kind = $2 and compartment = $3",
                        cancellationToken, id, a.Kind.ToString(), a.Compartment ?? 0);
                    break;
                case LockerWentOnline o:
                    await context.ExecuteAsync("update rm_lockers set online = true, last_seen_at = $2, updated_at = $2 where locker_id = $1", cancellationToken, id, o.At);
                    break;
                case LockerWentOffline o:
                    await context.ExecuteAsync("update rm_lockers set online = false, updated_at = $2 where locker_id = $1", cancellationToken, id, o.At);
                    break;
            }
        }
    }

    private static Task<int> Compartment(ProjectionContext context, string locker, int number, string assignments, CancellationToken cancellationToken, params object?[] values) =>
        context.ExecuteAsync($"update rm_compartments set {assignments} where locker_id = $1 and number = $2", cancellationToken, [locker, number, .. values]);
}
