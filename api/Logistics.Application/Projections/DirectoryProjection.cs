using Logistics.Application.Networks;
using Logistics.Domain.Couriers;
using Logistics.Domain.Shops;
using Logistics.EventStore.Subscriptions;

namespace Logistics.Application.Projections;

/// <summary>Shops (and which are relay points) and couriers (vehicle, capacity, shift).</summary>
public sealed partial class DirectoryProjection : IBulkProjection
{
    public string Name => "directory";

    public Task EnsureSchemaAsync(ProjectionContext context, CancellationToken cancellationToken) => context.ExecuteAsync(
        """
        create table if not exists rm_shops (
            shop_id text primary key,
            name text not null,
            address text not null,
            lat double precision not null,
            lon double precision not null,
            relay_point boolean not null,
            open boolean not null default true
        );
        alter table rm_shops add column if not exists network_id text not null default 'main';
        create table if not exists rm_couriers (
            courier_id text primary key,
            name text not null,
            vehicle text not null,
            capacity_units int not null,
            on_shift boolean not null default false,
            shift_lat double precision,
            shift_lon double precision,
            active boolean not null default true
        );
        alter table rm_couriers add column if not exists network_id text not null default 'main';
        """,
        cancellationToken);

    public Task ResetAsync(ProjectionContext context, CancellationToken cancellationToken) =>
        context.ExecuteAsync("truncate rm_shops, rm_couriers", cancellationToken);

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        foreach (var envelope in events)
        {
            switch (envelope.Event)
            {
                case ShopRegistered s:
                    await context.ExecuteAsync(
                        "insert into rm_shops (shop_id, name, address, lat, lon, relay_point, network_id) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
                        cancellationToken, s.ShopId.Value, s.Name, s.Address, s.Location.Latitude, s.Location.Longitude, s.IsRelayPoint, envelope.Network());
                    break;
                case RelayPointChanged r:
                    await context.ExecuteAsync("update rm_shops set relay_point = $2 where shop_id = $1", cancellationToken, r.ShopId.Value, r.IsRelayPoint);
                    break;
                case ShopClosed c:
                    await context.ExecuteAsync("update rm_shops set open = false where shop_id = $1", cancellationToken, c.ShopId.Value);
                    break;
                case CourierRegistered c:
                    await context.ExecuteAsync(
                        "insert into rm_couriers (courier_id, name, vehicle, capacity_units, network_id) values ($1, $2, $3, $4, $5) on conflict do nothing",
                        cancellationToken, c.CourierId.Value, c.Name, c.Vehicle.ToString(), c.CapacityUnits, envelope.Network());
                    break;
                case ShiftStarted s:
                    await context.ExecuteAsync(
                        "update rm_couriers set on_shift = true, shift_lat = $2, shift_lon = $3 where courier_id = $1",
                        cancellationToken, s.CourierId.Value, s.Location?.Latitude, s.Location?.Longitude);
                    break;
                case ShiftEnded s:
                    await context.ExecuteAsync("update rm_couriers set on_shift = false where courier_id = $1", cancellationToken, s.CourierId.Value);
                    break;
                case CourierDeactivated d:
                    await context.ExecuteAsync("update rm_couriers set active = false, on_shift = false where courier_id = $1", cancellationToken, d.CourierId.Value);
                    break;
            }
        }
    }
}
