using Logistics.Application.Networks;
using Logistics.Domain.Couriers;
using Logistics.Domain.Shops;
using Logistics.EventStore.Subscriptions;
using Npgsql;

namespace Logistics.Application.Projections;

/// <summary>The bulk rebuild: shops and couriers in memory, changed as <see cref="ApplyAsync"/>'s SQL changes them, then copied.</summary>
public sealed partial class DirectoryProjection
{
    public bool Reads(Type eventClass) => typeof(ShopEvent).IsAssignableFrom(eventClass) || typeof(CourierEvent).IsAssignableFrom(eventClass);

    public IProjectionBuilder StartRebuild() => new Builder();

    private sealed record ShopRow(string Name, string Address, double Lat, double Lon, string Network)
    {
        public bool RelayPoint { get; set; }

        public bool Open { get; set; } = true;
    }

    private sealed record CourierRow(string Name, string Vehicle, int CapacityUnits, string Network)
    {
        public bool OnShift { get; set; }

        public double? ShiftLat { get; set; }

        public double? ShiftLon { get; set; }

        public bool Active { get; set; } = true;
    }

    private sealed class Builder : IProjectionBuilder
    {
        private readonly Dictionary<string, ShopRow> _shops = new(StringComparer.Ordinal);
        private readonly Dictionary<string, CourierRow> _couriers = new(StringComparer.Ordinal);

        public ValueTask ApplyAsync(NpgsqlConnection connection, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
        {
            foreach (var envelope in events)
            {
                switch (envelope.Event)
                {
                    case ShopRegistered s:
                        _shops.TryAdd(s.ShopId.Value, new ShopRow(s.Name, s.Address, s.Location.Latitude, s.Location.Longitude, envelope.Network()) { RelayPoint = s.IsRelayPoint });
                        break;
                    case RelayPointChanged r when _shops.TryGetValue(r.ShopId.Value, out var shop):
                        shop.RelayPoint = r.IsRelayPoint;
                        break;
                    case ShopClosed c when _shops.TryGetValue(c.ShopId.Value, out var shop):
                        shop.Open = false;
                        break;
                    case CourierRegistered c:
                        _couriers.TryAdd(c.CourierId.Value, new CourierRow(c.Name, c.Vehicle.ToString(), c.CapacityUnits, envelope.Network()));
                        break;
                    case ShiftStarted s when _couriers.TryGetValue(s.CourierId.Value, out var courier):
                        (courier.OnShift, courier.ShiftLat, courier.ShiftLon) = (true, s.Location?.Latitude, s.Location?.Longitude);
                        break;
                    case ShiftEnded s when _couriers.TryGetValue(s.CourierId.Value, out var courier):
                        courier.OnShift = false;
                        break;
                    case CourierDeactivated d when _couriers.TryGetValue(d.CourierId.Value, out var courier):
                        (courier.Active, courier.OnShift) = (false, false);
                        break;
                }
            }

            return ValueTask.CompletedTask;
        }

        public async Task CompleteAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            await using (var copy = await BulkCopy.BeginAsync(connection, "rm_shops", "shop_id, name, address, lat, lon, relay_point, open, network_id", cancellationToken))
            {
                foreach (var (id, s) in _shops)
                {
                    copy.StartRow();
                    copy.Text(id);
                    copy.Text(s.Name);
                    copy.Text(s.Address);
                    copy.Double(s.Lat);
                    copy.Double(s.Lon);
                    copy.Bool(s.RelayPoint);
                    copy.Bool(s.Open);
                    copy.Text(s.Network);
                }

                await copy.CompleteAsync(cancellationToken);
            }

            await using (var copy = await BulkCopy.BeginAsync(
                connection, "rm_couriers", "courier_id, name, vehicle, capacity_units, on_shift, shift_lat, shift_lon, active, network_id", cancellationToken))
            {
                foreach (var (id, c) in _couriers)
                {
                    copy.StartRow();
                    copy.Text(id);
                    copy.Text(c.Name);
                    copy.Text(c.Vehicle);
                    copy.Int(c.CapacityUnits);
                    copy.Bool(c.OnShift);
                    copy.Double(c.ShiftLat);
                    copy.Double(c.ShiftLon);
                    copy.Bool(c.Active);
                    copy.Text(c.Network);
                }

                await copy.CompleteAsync(cancellationToken);
            }
        }
    }
}
