using Npgsql;

namespace Logistics.Application.ReadSide;

/// <param name="Day">The calendar day (UTC).</param>
/// <param name="Registered">Parcels registered that day.</param>
/// <param name="MadeAvailable">Parcels put in a locker or at a relay shop that day.</param>
/// <param name="CollectedWithin24h">Of those, collected within 24 hours of being made available.</param>
public sealed record DayFigures(DateOnly Day, int Registered, int MadeAvailable, int CollectedWithin24h);

/// <param name="CollectedWithin24hShare">Over the whole period: share of parcels made available that were collected within 24 h, or null when none was made available.</param>
public sealed record Figures(int Days, IReadOnlyList<DayFigures> PerDay, double? CollectedWithin24hShare);

/// <summary>The operator's key figures, from the parcels' and timeline read models.</summary>
public sealed class FigureQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private readonly Sql _sql = new(dataSource);

    /// <summary>Parcels a day and the share collected within 24 h, over the last <paramref name="days"/> days (today included).</summary>
    public async Task<Figures> LastDaysAsync(int days, string network, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var from = today.AddDays(1 - days);
        var rows = await _sql.ListAsync(
            """
            with days as (select generate_series($1::date, $2::date, interval '1 day')::date as day),
            registered as (
                select (registered_at at time zone 'UTC')::date as day, count(*) as n from rm_parcels
                where registered_at >= $1::date and network_id = $3 group by 1),
            available as (
                select a.parcel_id, min(a.at) as at from rm_parcel_timeline a join rm_parcels n on n.parcel_id = a.parcel_id and n.network_id = $3
                where a.kind in ('ParcelDeposited', 'ParcelDepositedAtRelay', 'ParcelDepositedInHomeBox') and a.at >= $1::date group by a.parcel_id),
            collected as (
                select c.parcel_id, min(c.at) as at from rm_parcel_timeline c where c.kind = 'ParcelCollected' group by c.parcel_id),
            per_day as (
                select (a.at at time zone 'UTC')::date as day, count(*) as available,
                    count(*) filter (where c.at <= a.at + interval '24 hours') as quick
                from available a left join collected c using (parcel_id) group by 1)
            select d.day, coalesce(r.n, 0), coalesce(p.available, 0), coalesce(p.quick, 0)
            from days d left join registered r using (day) left join per_day p using (day)
            order by d.day
            """,
            r => new DayFigures(r.GetFieldValue<DateOnly>(0), (int)r.GetInt64(1), (int)r.GetInt64(2), (int)r.GetInt64(3)),
            cancellationToken,
            from,
            today,
            network);
        var available = rows.Sum(d => d.MadeAvailable);
        return new Figures(days, rows, available == 0 ? null : (double)rows.Sum(d => d.CollectedWithin24h) / available);
    }
}
