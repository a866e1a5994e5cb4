using Logistics.Application.Networks;
using Logistics.Domain.Parcels;
using Logistics.EventStore.Subscriptions;
using Npgsql;

namespace Logistics.Application.Projections;

/// <summary>The bulk rebuild: one row per parcel in memory, changed as the SQL of <see cref="ApplyAsync"/> changes it, then copied.</summary>
public sealed partial class ParcelsProjection
{
    public bool Reads(Type eventClass) => typeof(ParcelEvent).IsAssignableFrom(eventClass);

    public IProjectionBuilder StartRebuild() => new Builder();

    private sealed class Row
    {
        public required string ParcelId { get; init; }

        public required string TrackingId { get; init; }

        public required string ShopId { get; init; }

        public required string PersonId { get; init; }

        public required string RecipientName { get; set; }

        public required string Size { get; init; }

        public required string DestinationKind { get; set; }

        public string? DestinationLocker { get; set; }

        public string? DestinationShop { get; set; }

        public DateTimeOffset? WindowFrom { get; init; }

        public DateTimeOffset? WindowTo { get; init; }

        public double? HomeLat { get; set; }

        public double? HomeLon { get; set; }

        public string Status { get; set; } = nameof(ParcelStatus.AwaitingPickup);

        public string? LockerId { get; set; }

        public int? Compartment { get; set; }

        public string? RelayShop { get; set; }

        public string? CourierId { get; set; }

        public bool IsReturning { get; set; }

        public DateTimeOffset? RemindAt { get; set; }

        public DateTimeOffset? CollectBy { get; set; }

        public bool Reminded { get; set; }

        public required DateTimeOffset RegisteredAt { get; init; }

        public required DateTimeOffset UpdatedAt { get; set; }

        public required string Network { get; init; }
    }

    private sealed class Builder : IProjectionBuilder
    {
        private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);

        public ValueTask ApplyAsync(NpgsqlConnection connection, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
        {
            foreach (var envelope in events)
            {
                Apply((ParcelEvent)envelope.Event, envelope);
            }

            return ValueTask.CompletedTask;
        }

        public async Task CompleteAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            await using var copy = await BulkCopy.BeginAsync(
                connection,
                "rm_parcels",
                "parcel_id, tracking_id, shop_id, person_id, recipient_name, size, destination_kind, destination_locker, destination_shop, " +
                "window_from, window_to, home_lat, home_lon, status, locker_id, compartment, relay_shop, courier_id, is_returning, remind_at, " +
                "collect_by, reminded, registered_at, updated_at, network_id",
                cancellationToken);
            foreach (var r in _rows.Values)
            {
                copy.StartRow();
                copy.Text(r.ParcelId);
                copy.Text(r.TrackingId);
                copy.Text(r.ShopId);
                copy.Text(r.PersonId);
                copy.Text(r.RecipientName);
                copy.Text(r.Size);
                copy.Text(r.DestinationKind);
                copy.Text(r.DestinationLocker);
                copy.Text(r.DestinationShop);
                copy.Time(r.WindowFrom);
                copy.Time(r.WindowTo);
                copy.Double(r.HomeLat);
                copy.Double(r.HomeLon);
                copy.Text(r.Status);
                copy.Text(r.LockerId);
                copy.Int(r.Compartment);
                copy.Text(r.RelayShop);
                copy.Text(r.CourierId);
                copy.Bool(r.IsReturning);
                copy.Time(r.RemindAt);
                copy.Time(r.CollectBy);
                copy.Bool(r.Reminded);
                copy.Time(r.RegisteredAt);
                copy.Time(r.UpdatedAt);
                copy.Text(r.Network);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        private void Apply(ParcelEvent e, EventEnvelope envelope)
        {
            if (e is ParcelRegistered r)
            {
                Register(r, envelope.Network());
                return;
            }

            // As "update ... where parcel_id = $1": nothing for a parcel without a row.
            if (!_rows.TryGetValue(e.ParcelId.Value, out var row))
            {
                return;
            }

            switch (e)
            {
                case ParcelDroppedAtLocker d:
                    Set(row, e, x => (x.LockerId, x.Compartment) = (d.Locker.Value, d.Compartment));
                    break;
                case ParcelPickedUp p:
                    Set(row, e, x => (x.CourierId, x.IsReturning, x.LockerId, x.Compartment, x.RelayShop) = (p.Courier.Value, p.ForReturn, null, null, null));
                    break;
                case ParcelDeposited d:
                    Set(row, e, x => (x.LockerId, x.Compartment, x.CourierId, x.RemindAt, x.CollectBy, x.Reminded) = (d.Locker.Value, d.Compartment, null, d.RemindAt, d.CollectBy, false));
                    break;
                case ParcelDepositedInHomeBox d:
                    Set(row, e, x => (x.LockerId, x.Compartment, x.CourierId) = (d.Box.Value, d.Compartment, null));
                    break;
                case ParcelDepositedAtRelay d:
                    Set(row, e, x => (x.RelayShop, x.CourierId, x.RemindAt, x.CollectBy, x.Reminded) = (d.RelayShop.Value, null, d.RemindAt, d.CollectBy, false));
                    break;
                case ParcelCollected or ParcelExpired:
                    Set(row, e, _ => { });
                    break;
                case ReminderSent:
                    Set(row, e, x => x.Reminded = true);
                    break;
                case CollectionDeadlineExtended x:
                    Set(row, e, r => r.CollectBy = x.NewCollectBy);
                    break;
                case ParcelReturned or ParcelDelivered:
                    Set(row, e, x => x.CourierId = null);
                    break;
                case ParcelRedirected d:
                    Set(row, e, x => (x.DestinationKind, x.DestinationLocker, x.DestinationShop) = ("locker", d.Locker.Value, null));
                    break;
                case ParcelCancelled:
                    Set(row, e, x => (x.LockerId, x.Compartment) = (null, null));
                    break;
                case RecipientErased:
                    Set(row, e, x => (x.RecipientName, x.HomeLat, x.HomeLon) = ("[erased]", null, null));
                    break;
            }
        }

        private void Register(ParcelRegistered r, string network)
        {
            var (kind, locker, shop, window) = Destination(r);
            _rows.TryAdd(r.ParcelId.Value, new Row
            {
                Network = network,
                ParcelId = r.ParcelId.Value,
                TrackingId = r.TrackingId,
                ShopId = r.Shop.Value,
                PersonId = r.Recipient.Person.Value,
                RecipientName = r.Recipient.Name,
                Size = r.Size.ToString(),
                DestinationKind = kind,
                DestinationLocker = locker,
                DestinationShop = shop,
                WindowFrom = window?.From,
                WindowTo = window?.To,
                HomeLat = r.Recipient.Address?.Location.Latitude,
                HomeLon = r.Recipient.Address?.Location.Longitude,
                RegisteredAt = r.At,
                UpdatedAt = r.At,
            });
        }

        private static void Set(Row row, ParcelEvent e, Action<Row> assignments)
        {
            row.UpdatedAt = e.At;
            if (ParcelTimeline.StatusAfter(e) is { } status)
            {
                row.Status = status.ToString();
            }

            assignments(row);
        }
    }
}
