using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;
using Logistics.EventStore.Subscriptions;

namespace Logistics.Application.Planning;

/// <summary>
/// Rounds, their stops and each stop's parcels, as couriers and operators see them. A home stop keeps the recipient's
/// name and address for the courier, with the person's id so that erasure can scrub them.
/// </summary>
public sealed partial class RoundsProjection : IBulkProjection
{
    public string Name => "rounds";

    public Task EnsureSchemaAsync(ProjectionContext context, CancellationToken cancellationToken) => context.ExecuteAsync(
        """
        create table if not exists rm_rounds (
            round_id text primary key,
            courier_id text not null,
            planned_at timestamptz not null,
            status text not null,
            distance_km double precision not null,
            updated_at timestamptz not null
        );
        create index if not exists rm_rounds_courier on rm_rounds (courier_id, planned_at desc);
        create table if not exists rm_round_stops (
            round_id text not null,
            stop_id text not null,
            sequence int not null,
            place_kind text not null,
            place_id text,
            place_name text not null,
            address text,
            person_id text,
            lat double precision,
            lon double precision,
            window_from timestamptz,
            window_to timestamptz,
            planned_arrival timestamptz not null,
            status text not null,
            primary key (round_id, stop_id)
        );
        create table if not exists rm_round_parcels (
            round_id text not null,
            stop_id text not null,
            parcel_id text not null,
            position int not null,
            action text not null,
            size text not null,
            compartment int,
            done boolean not null default false,
            failed boolean not null default false,
            primary key (round_id, stop_id, parcel_id)
        );
        create index if not exists rm_round_parcels_parcel on rm_round_parcels (parcel_id);
        alter table rm_round_stops add column if not exists promised_by timestamptz, add column if not exists late_minutes int,
            add column if not exists break_from timestamptz, add column if not exists break_minutes int, add column if not exists break_before boolean;
        alter table rm_rounds add column if not exists changes jsonb, add column if not exists changed_at timestamptz;
        """,
        cancellationToken);

    public Task ResetAsync(ProjectionContext context, CancellationToken cancellationToken) =>
        context.ExecuteAsync("truncate rm_rounds, rm_round_stops, rm_round_parcels", cancellationToken);

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        foreach (var envelope in events)
        {
            switch (envelope.Event)
            {
                case RoundPlanned p:
                    await context.ExecuteAsync(
                        "insert into rm_rounds (round_id, courier_id, planned_at, status, distance_km, updated_at) values ($1, $2, $3, 'active', $4, $3) on conflict do nothing",
                        cancellationToken, p.RoundId.Value, p.Courier.Value, p.At, p.DistanceKm);
                    await InsertStopsAsync(context, p.RoundId, p.Stops, cancellationToken);
                    break;
                case RoundReplanned r:
                    await ReplanAsync(context, r, cancellationToken);
                    break;
                case ParcelActionDone d:
                    await context.ExecuteAsync(
                        "update rm_round_parcels set done = true where round_id = $1 and stop_id = $2 and parcel_id = $3", cancellationToken, d.RoundId.Value, d.StopId, d.Parcel.Value);
                    await Touch(context, d, cancellationToken);
                    break;
                case StopFailed f:
                    await context.ExecuteAsync(
                        "update rm_round_parcels set failed = true where round_id = $1 and stop_id = $2 and parcel_id = $3", cancellationToken, f.RoundId.Value, f.StopId, f.Parcel.Value);
                    await Touch(context, f, cancellationToken);
                    break;
                case StopCompleted c:
                    await context.ExecuteAsync(
                        """
                        update rm_round_stops s set status = case when exists (select 1 from rm_round_parcels p
                            where p.round_id = s.round_id and p.stop_id = s.stop_id and p.failed) then 'failed' else 'done' end
                        where s.round_id = $1 and s.stop_id = $2
                        """,
                        cancellationToken, c.RoundId.Value, c.StopId);
                    await Touch(context, c, cancellationToken);
                    break;
                case RoundCompleted c:
                    await context.ExecuteAsync("update rm_rounds set status = 'completed', updated_at = $2 where round_id = $1", cancellationToken, c.RoundId.Value, c.At);
                    break;
                case RoundCancelled c:
                    await context.ExecuteAsync("update rm_rounds set status = 'cancelled', updated_at = $2 where round_id = $1", cancellationToken, c.RoundId.Value, c.At);
                    break;
                case Domain.Parcels.RecipientErased erased:
                    await context.ExecuteAsync(
                        "update rm_round_stops set place_name = '[erased]', address = null, lat = null, lon = null where person_id = $1", cancellationToken, erased.Person.Value);
                    break;
                case ParcelDeposited d:
                    // The compartment actually used, should the locker have chosen another than the one reserved.
                    await context.ExecuteAsync(
                        "update rm_round_parcels set compartment = $2 where parcel_id = $1 and action = 'deposit' and done", cancellationToken, d.ParcelId.Value, d.Compartment);
                    break;
            }
        }
    }

    private static Task<int> Touch(ProjectionContext context, RoundEvent e, CancellationToken cancellationToken) =>
        context.ExecuteAsync("update rm_rounds set updated_at = $2 where round_id = $1", cancellationToken, e.RoundId.Value, e.At);

    // Mirrors Round.Evolve: stops with something done stay (cut down to it), the others give way to the new ones.
    private static async Task ReplanAsync(ProjectionContext context, RoundReplanned r, CancellationToken cancellationToken)
    {
        var id = r.RoundId.Value;
        await context.ExecuteAsync(
            """
            delete from rm_round_parcels p using rm_round_stops s
            where s.round_id = $1 and s.status = 'pending' and p.round_id = s.round_id and p.stop_id = s.stop_id and not p.done and not p.failed
            """,
            cancellationToken, id);
        await context.ExecuteAsync(
            """
            delete from rm_round_stops s where s.round_id = $1 and s.status = 'pending'
                and not exists (select 1 from rm_round_parcels p where p.round_id = s.round_id and p.stop_id = s.stop_id)
            """,
            cancellationToken, id);
        await context.ExecuteAsync(
            """
            update rm_round_stops s set status = case when exists (select 1 from rm_round_parcels p
                where p.round_id = s.round_id and p.stop_id = s.stop_id and p.failed) then 'failed' else 'done' end
            where s.round_id = $1 and s.status = 'pending'
            """,
            cancellationToken, id);
        await InsertStopsAsync(context, r.RoundId, r.Stops, cancellationToken);
        await context.ExecuteAsync(
            "update rm_rounds set distance_km = $2, updated_at = $3, changes = $4::jsonb, changed_at = $3 where round_id = $1",
            cancellationToken, id, r.DistanceKm, r.At, RoundJson.Changes(r.Changes));
    }

    private static async Task InsertStopsAsync(ProjectionContext context, RoundId round, IReadOnlyList<RoundStop> stops, CancellationToken cancellationToken)
    {
        await context.ExecuteAsync(
            """
            update rm_round_stops s set sequence = n.rn from (
                select stop_id, row_number() over (order by sequence) as rn from rm_round_stops where round_id = $1) n
            where s.round_id = $1 and s.stop_id = n.stop_id
            """,
            cancellationToken, round.Value);
        int next;
        await using (var max = context.Command("select coalesce(max(sequence), 0) from rm_round_stops where round_id = $1", round.Value))
        {
            next = await max.ExecuteScalarAsync(cancellationToken) is int n ? n : 0;
        }

        foreach (var stop in stops)
        {
            var (kind, placeId, name, address, person) = Place(stop.Place);
            await context.ExecuteAsync(
                """
                insert into rm_round_stops (round_id, stop_id, sequence, place_kind, place_id, place_name, address, person_id, lat, lon,
                    window_from, window_to, planned_arrival, status, promised_by, late_minutes, break_from, break_minutes, break_before)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending', $14, $15, $16, $17, $18) on conflict do nothing
                """,
                cancellationToken,
                round.Value, stop.StopId, ++next, kind, placeId, name, address, person, stop.Place.Point()?.Latitude, stop.Place.Point()?.Longitude,
                stop.Window?.From, stop.Window?.To, stop.PlannedArrival, stop.PromisedBy, stop.LateBy is { } late ? (int)Math.Ceiling(late.TotalMinutes) : null,
                stop.Break?.From, stop.Break is { } rest ? (int)Math.Round(rest.Length.TotalMinutes) : null, stop.Break?.BeforeStop);
            var position = 0;
            foreach (var task in stop.Parcels)
            {
                await context.ExecuteAsync(
                    "insert into rm_round_parcels (round_id, stop_id, parcel_id, position, action, size, compartment) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
                    cancellationToken, round.Value, stop.StopId, task.Parcel.Value, position++, RoundJson.Action(task.Kind), task.Size.ToString(), task.Compartment);
            }
        }
    }

    private static (string Kind, string? PlaceId, string Name, string? Address, string? Person) Place(StopPlace place) => place switch
    {
        StopPlace.Shop s => ("shop", s.Id.Value, s.Name, null, null),
        StopPlace.Locker l => ("locker", l.Id.Value, l.Name, null, null),
        StopPlace.Home h => ("home", null, h.Recipient.Name, h.Recipient.Address is { } a ? $"{a.Street}, {a.PostalCode} {a.City}".Trim() : null, h.Recipient.Person.Value),
        _ => ("unknown", null, "?", null, null),
    };
}
