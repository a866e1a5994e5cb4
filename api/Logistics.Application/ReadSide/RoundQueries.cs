using Logistics.Application.Planning;
using Npgsql;

namespace Logistics.Application.ReadSide;

/// <summary>Rounds as the courier's and the operator's pages read them (from the rounds read model).</summary>
public sealed class RoundQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private readonly Sql _sql = new(dataSource);

    private sealed record RoundRow(string RoundId, string CourierId, string CourierName, DateTimeOffset PlannedAt, string Status, double DistanceKm);

    private const string RoundColumns =
        "r.round_id, r.courier_id, coalesce(c.name, r.courier_id), r.planned_at, r.status, r.distance_km from rm_rounds r left join rm_couriers c on c.courier_id = r.courier_id";

    /// <summary>The courier's current round: the active one, or the one finished within a day; else null.</summary>
    public async Task<CourierRoundView?> CourierRoundAsync(Domain.CourierId courier, CancellationToken cancellationToken)
    {
        var rows = await RoundsAsync(
            $"select {RoundColumns} where r.courier_id = $1 and (r.status = 'active' or (r.status = 'completed' and r.planned_at > $2)) order by r.planned_at desc limit 1",
            cancellationToken,
            courier.Value,
            clock.GetUtcNow().AddDays(-1));
        if (rows.Count == 0)
        {
            return null;
        }

        var stops = await StopsAsync([rows[0].RoundId], cancellationToken);
        var r = rows[0];
        var mine = stops.GetValueOrDefault(r.RoundId) ?? [];
        return new CourierRoundView(r.RoundId, r.CourierId, r.PlannedAt, r.Status, NextStop(mine), mine, await ChangesAsync(r.RoundId, cancellationToken));
    }

    /// <summary>Each courier's current round in a network: the active one, or the one finished in the last day.</summary>
    public async Task<IReadOnlyList<OperatorRoundView>> CurrentRoundsAsync(string network, CancellationToken cancellationToken)
    {
        var rows = await RoundsAsync(
            $"""
            select * from (select distinct on (r.courier_id) {RoundColumns} where r.status <> 'cancelled' and c.network_id = $2 order by r.courier_id, r.planned_at desc) x
            where x.status = 'active' or x.planned_at > $1 order by 3
            """,
            cancellationToken,
            clock.GetUtcNow().AddDays(-1),
            network);
        var stops = await StopsAsync([.. rows.Select(r => r.RoundId)], cancellationToken);
        return
        [
            .. rows.Select(r =>
            {
                var list = stops.GetValueOrDefault(r.RoundId) ?? [];
                return new OperatorRoundView(r.RoundId, r.CourierId, r.CourierName, r.PlannedAt, r.Status, NextStop(list), r.DistanceKm, list);
            }),
        ];
    }

    /// <summary>What the round's last re-plan changed, if it was re-planned.</summary>
    private async Task<RoundChangesView?> ChangesAsync(string round, CancellationToken cancellationToken)
    {
        var rows = await _sql.ListAsync(
            "select changed_at, changes::text from rm_rounds where round_id = $1 and changed_at is not null",
            r => (At: r.GetFieldValue<DateTimeOffset>(0), Json: r.IsDBNull(1) ? "[]" : r.GetString(1)),
            cancellationToken,
            round);
        if (rows.Count == 0)
        {
            return null;
        }

        var changes = RoundJson.ParseChanges(rows[0].Json);
        return new RoundChangesView(rows[0].At, RoundJson.Summary(changes), changes);
    }

    private static string? NextStop(IReadOnlyList<RoundStopView> stops) => stops.FirstOrDefault(s => s.Status == "pending")?.StopId;

    private Task<IReadOnlyList<RoundRow>> RoundsAsync(string sql, CancellationToken cancellationToken, params object?[] parameters) => _sql.ListAsync(
        sql,
        r => new RoundRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetString(4), r.GetDouble(5)),
        cancellationToken,
        parameters);

    private async Task<Dictionary<string, IReadOnlyList<RoundStopView>>> StopsAsync(string[] rounds, CancellationToken cancellationToken)
    {
        var parcels = (await _sql.ListAsync(
            """
            select rp.round_id, rp.stop_id, rp.parcel_id, rp.action, rp.size, rp.compartment, rp.done, p.tracking_id, sh.name, p.recipient_name
            from rm_round_parcels rp
            left join rm_parcels p on p.parcel_id = rp.parcel_id
            left join rm_shops sh on sh.shop_id = p.shop_id
            where rp.round_id = any($1) order by rp.round_id, rp.stop_id, rp.position
            """,
            r => (Round: r.GetString(0), Stop: r.GetString(1), View: new RoundParcelView(
                r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetInt32(5), r.GetBoolean(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : RecipientNames.FirstName(r.GetString(9)))),
            cancellationToken,
            (object)rounds)).ToLookup(p => (p.Round, p.Stop), p => p.View);
        var stops = await _sql.ListAsync(
            """
            select s.round_id, s.stop_id, s.sequence, s.place_kind, s.place_id, s.place_name, coalesce(sh.address, l.address, s.address),
                s.lat, s.lon, s.window_from, s.window_to, s.planned_arrival, s.status, s.promised_by, s.late_minutes, s.break_from, s.break_minutes, s.break_before
            from rm_round_stops s
            left join rm_shops sh on s.place_kind = 'shop' and sh.shop_id = s.place_id
            left join rm_lockers l on s.place_kind = 'locker' and l.locker_id = s.place_id
            where s.round_id = any($1) order by s.round_id, s.sequence
            """,
            r =>
            {
                var list = parcels[(r.GetString(0), r.GetString(1))].ToList();
                var place = new RoundPlaceView(
                    r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
                    r.IsDBNull(7) ? null : r.GetDouble(7), r.IsDBNull(8) ? null : r.GetDouble(8));
                var window = r.IsDBNull(9) ? null : new RoundWindowView(r.GetFieldValue<DateTimeOffset>(9), r.GetFieldValue<DateTimeOffset>(10));
                var rest = r.IsDBNull(15) ? null : new RoundBreakView(r.GetFieldValue<DateTimeOffset>(15), r.GetInt32(16), !r.IsDBNull(17) && r.GetBoolean(17));
                return (Round: r.GetString(0), View: new RoundStopView(
                    r.GetString(1), r.GetInt32(2), RoundJson.StopKind(list.Select(p => p.Action)), place, window, r.GetFieldValue<DateTimeOffset>(11), r.GetString(12), list,
                    r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13), r.IsDBNull(14) ? null : r.GetInt32(14), rest));
            },
            cancellationToken,
            (object)rounds);
        return stops.GroupBy(s => s.Round).ToDictionary(g => g.Key, g => (IReadOnlyList<RoundStopView>)[.. g.Select(s => s.View)]);
    }
}
