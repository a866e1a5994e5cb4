using Logistics.Application.Networks;
using Logistics.Domain.Parcels;
using Logistics.EventStore.Subscriptions;

namespace Logistics.Application.Projections;

/// <summary>
/// One row per parcel: where it is, who holds it, its deadlines. Serves a shop's list, a courier's load, tracking
/// look-ups and the time-driven work (reminders, expiry). The recipient's name is kept for the shop's list and
/// scrubbed on erasure.
/// </summary>
public sealed partial class ParcelsProjection : IBulkProjection
{
    public string Name => "parcels";

    public Task EnsureSchemaAsync(ProjectionContext context, CancellationToken cancellationToken) => context.ExecuteAsync(
        """
        create table if not exists rm_parcels (
            parcel_id text primary key,
            tracking_id text not null unique,
            shop_id text not null,
            person_id text not null,
            recipient_name text not null,
            size text not null,
            destination_kind text not null,
            destination_locker text,
            destination_shop text,
            window_from timestamptz,
            window_to timestamptz,
            home_lat double precision,
            home_lon double precision,
            status text not null,
            locker_id text,
            compartment int,
            relay_shop text,
            courier_id text,
            is_returning boolean not null default false,
            remind_at timestamptz,
            collect_by timestamptz,
            reminded boolean not null default false,
            registered_at timestamptz not null,
            updated_at timestamptz not null
        );
        create index if not exists rm_parcels_shop on rm_parcels (shop_id, registered_at desc);
        create index if not exists rm_parcels_courier on rm_parcels (courier_id) where courier_id is not null;
        create index if not exists rm_parcels_due on rm_parcels (status, remind_at, collect_by);
        alter table rm_parcels add column if not exists network_id text not null default 'main';
        create index if not exists rm_parcels_network on rm_parcels (network_id, registered_at desc);
        """,
        cancellationToken);

    public Task ResetAsync(ProjectionContext context, CancellationToken cancellationToken) =>
        context.ExecuteAsync("truncate rm_parcels", cancellationToken);

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        foreach (var envelope in events)
        {
            if (envelope.Event is not ParcelEvent e)
            {
                continue;
            }

            switch (e)
            {
                case ParcelRegistered r:
                    var (kind, locker, shop, window) = Destination(r);
                    await context.ExecuteAsync(
                        """
                        insert into rm_parcels (parcel_id, tracking_id, shop_id, person_id, recipient_name, size, destination_kind,
                            destination_locker, destination_shop, window_from, window_to, home_lat, home_lon, status, registered_at, updated_at, network_id)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'AwaitingPickup', $14, $14, $15)
                        on conflict (parcel_id) do nothing
                        """,
                        cancellationToken,
                        r.ParcelId.Value, r.TrackingId, r.Shop.Value, r.Recipient.Person.Value, r.Recipient.Name, r.Size.ToString(), kind, locker, shop,
                        window?.From, window?.To, r.Recipient.Address?.Location.Latitude, r.Recipient.Address?.Location.Longitude, r.At, envelope.Network());
                    break;
                case ParcelDroppedAtLocker d:
                    await Set(context, e, cancellationToken, "locker_id = $3, compartment = $4", d.Locker.Value, d.Compartment);
                    break;
                case ParcelPickedUp p:
                    await Set(context, e, cancellationToken, "courier_id = $3, is_returning = $4, locker_id = null, compartment = null, relay_shop = null", p.Courier.Value, p.ForReturn);
                    break;
                case ParcelDeposited d:
                    await Set(context, e, cancellationToken, "locker_id = $3, compartment = $4, courier_id = null, remind_at = $5, collect_by = $6, reminded = false", d.Locker.Value, d.Compartment, d.RemindAt, d.CollectBy);
                    break;
                case ParcelDepositedInHomeBox d:
                    await Set(context, e, cancellationToken, "locker_id = $3, compartment = $4, courier_id = null", d.Box.Value, d.Compartment);
                    break;
                case ParcelDepositedAtRelay d:
                    await Set(context, e, cancellationToken, "relay_shop = $3, courier_id = null, remind_at = $4, collect_by = $5, reminded = false", d.RelayShop.Value, d.RemindAt, d.CollectBy);
                    break;
                case ParcelCollected:
                    await Set(context, e, cancellationToken);
                    break;
                case ReminderSent:
                    await Set(context, e, cancellationToken, "reminded = true");
                    break;
                case CollectionDeadlineExtended x:
                    await Set(context, e, cancellationToken, "collect_by = $3", x.NewCollectBy);
                    break;
                case ParcelExpired:
                    await Set(context, e, cancellationToken);
                    break;
                case ParcelReturned:
                    await Set(context, e, cancellationToken, "courier_id = null");
                    break;
                case ParcelDelivered:
                    await Set(context, e, cancellationToken, "courier_id = null");
                    break;
                case ParcelRedirected r:
                    await Set(context, e, cancellationToken, "destination_kind = 'locker', destination_locker = $3, destination_shop = null", r.Locker.Value);
                    break;
                case ParcelCancelled:
                    await Set(context, e, cancellationToken, "locker_id = null, compartment = null");
                    break;
                case RecipientErased:
                    await Set(context, e, cancellationToken, "recipient_name = '[erased]', home_lat = null, home_lon = null");
                    break;
            }
        }
    }

    private static (string Kind, string? Locker, string? Shop, Domain.TimeWindow? Window) Destination(ParcelRegistered r) => r.Destination switch
    {
        Domain.Parcels.Destination.ToLocker l => ("locker", l.Locker.Value, null, null),
        Domain.Parcels.Destination.ToRelayShop s => ("relay", null, s.Shop.Value, null),
        Domain.Parcels.Destination.ToHome h => ("home", null, null, h.Window),
        Domain.Parcels.Destination.ToHomeBox b => ("homeBox", b.Box.Value, null, null),
        _ => ("unknown", null, null, null),
    };

    // The status column follows the domain's own reading of each event.
    private static Task<int> Set(ProjectionContext context, ParcelEvent e, CancellationToken cancellationToken, string assignments = "", params object?[] values)
    {
        var status = ParcelTimeline.StatusAfter(e)?.ToString();
        var sets = string.Join(", ", new[] { "updated_at = $2", status is null ? null : $"status = ${values.Length + 3}", assignments }.Where(a => !string.IsNullOrEmpty(a)));
        object?[] parameters = status is null ? [e.ParcelId.Value, e.At, .. values] : [e.ParcelId.Value, e.At, .. values, status];
        return context.ExecuteAsync($"update rm_parcels set {sets} where parcel_id = $1", cancellationToken, parameters);
    }
}
