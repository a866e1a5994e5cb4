using System.Data.Common;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Npgsql;

namespace Logistics.Application.Projections;

/// <summary>Queries over the read-model tables (and the few operational tables the API keeps).</summary>
public sealed class ReadModels(NpgsqlDataSource dataSource)
{
    private const string ParcelColumns =
        """
        p.parcel_id, p.tracking_id, p.shop_id, p.recipient_name, p.size, p.destination_kind, p.destination_locker,
        p.destination_shop, p.window_from, p.window_to, p.status, p.locker_id, p.compartment, p.relay_shop, p.courier_id,
        p.is_returning, p.collect_by, p.registered_at, p.updated_at, p.home_lat, p.home_lon
        """;

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p ?? DBNull.Value });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private async Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        var rows = await QueryAsync(sql, r => r.IsDBNull(0) ? default : r.GetFieldValue<T>(0), cancellationToken, parameters);
        return rows.Count == 0 ? default : rows[0];
    }

    public async Task<ParcelId?> ParcelIdByTrackingAsync(string trackingId, CancellationToken cancellationToken) =>
        await ScalarAsync<string>("select parcel_id from rm_parcels where tracking_id = $1", cancellationToken, trackingId.Trim().ToUpperInvariant()) is { } id
            ? new ParcelId(id)
            : null;

    public Task<string?> LockerNameAsync(LockerId locker, CancellationToken cancellationToken) =>
        ScalarAsync<string>("select name from rm_lockers where locker_id = $1", cancellationToken, locker.Value);

    /// <summary>Every locker's position and free compartment sizes (for redirection).</summary>
    public async Task<IReadOnlyList<LockerSnapshot>> LockerSnapshotsAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            select l.locker_id, l.lat, l.lon, coalesce(array_agg(c.size) filter (where c.status = 'free'), '{}')
            from rm_lockers l left join rm_compartments c on c.locker_id = l.locker_id
            group by l.locker_id, l.lat, l.lon
            """,
            r => new LockerSnapshot(
                new LockerId(r.GetString(0)),
                new GeoPoint(r.GetDouble(1), r.GetDouble(2)),
                r.GetFieldValue<string[]>(3).Select(Enum.Parse<ParcelSize>).ToArray()),
            cancellationToken);
        return rows;
    }

    /// <summary>Wrong codes in a window: for the parcel's locker if it has one, else for the parcel.</summary>
    public async Task<long> RecentCodeFailuresAsync(LockerId? locker, ParcelId parcel, DateTimeOffset since, CancellationToken cancellationToken) =>
        locker is { } l
            ? await ScalarAsync<long>("select count(*) from pickup_code_failures where locker_id = $1 and at > $2", cancellationToken, l.Value, since)
            : await ScalarAsync<long>("select count(*) from pickup_code_failures where parcel_id = $1 and at > $2", cancellationToken, parcel.Value, since);

    public async Task RecordCodeFailureAsync(LockerId? locker, ParcelId parcel, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("insert into pickup_code_failures (locker_id, parcel_id, at) values ($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)locker?.Value ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = parcel.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<ParcelView>> ParcelsAsync(string where, CancellationToken cancellationToken, params object?[] parameters) =>
        QueryAsync($"select {ParcelColumns} from rm_parcels p where {where} order by p.registered_at desc limit 500", ParcelView.Read, cancellationToken, parameters);

    public async Task<ParcelView?> ParcelAsync(string where, CancellationToken cancellationToken, params object?[] parameters) =>
        await ParcelsAsync(where, cancellationToken, parameters) is [var first, ..] ? first : null;

    public Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string parcelId, CancellationToken cancellationToken) => QueryAsync(
        "select at, kind, text from rm_parcel_timeline where parcel_id = $1 order by tx::xid8, seq",
        r => new TimelineEntry(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetString(2)),
        cancellationToken,
        parcelId);

    /// <summary>Every locker with its occupancy, or only the one named.</summary>
    public Task<IReadOnlyList<LockerView>> LockersAsync(CancellationToken cancellationToken, string? lockerId = null) => QueryAsync(
        """
        select l.locker_id, l.name, l.address, l.lat, l.lon, l.online, l.last_seen_at,
            count(c.number), count(c.number) filter (where c.status = 'free'),
            count(c.number) filter (where c.status = 'free' and c.size = 'S'),
            count(c.number) filter (where c.status = 'free' and c.size = 'M'),
            count(c.number) filter (where c.status = 'free' and c.size = 'L'),
            count(c.number) filter (where c.status = 'occupied'), count(c.number) filter (where c.status = 'reserved'),
            count(c.number) filter (where c.status = 'out_of_service'),
            (select count(*) from rm_locker_alarms a where a.locker_id = l.locker_id)
        from rm_lockers l left join rm_compartments c on c.locker_id = l.locker_id
        where $1::text is null or l.locker_id = $1
        group by l.locker_id order by l.name
        """,
        r => new LockerView(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4), r.GetBoolean(5),
            r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6),
            (int)r.GetInt64(7), (int)r.GetInt64(8),
            new FreeBySize((int)r.GetInt64(9), (int)r.GetInt64(10), (int)r.GetInt64(11)),
            (int)r.GetInt64(12), (int)r.GetInt64(13), (int)r.GetInt64(14), (int)r.GetInt64(15)),
        cancellationToken,
        lockerId);

    public Task<IReadOnlyList<CompartmentView>> CompartmentsAsync(string lockerId, CancellationToken cancellationToken) => QueryAsync(
        "select number, size, low_height, status, parcel_id, door_open from rm_compartments where locker_id = $1 order by number",
        r => new CompartmentView(r.GetInt32(0), r.GetString(1), r.GetBoolean(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetBoolean(5)),
        cancellationToken,
        lockerId);

    public Task<IReadOnlyList<AlarmView>> AlarmsAsync(string lockerId, CancellationToken cancellationToken) => QueryAsync(
        "select kind, compartment, raised_at from rm_locker_alarms where locker_id = $1 order by raised_at",
        r => new AlarmView(r.GetString(0), r.GetInt32(1) == 0 ? null : r.GetInt32(1), r.GetFieldValue<DateTimeOffset>(2)),
        cancellationToken,
        lockerId);

    public async Task<LockerView?> LockerAsync(string lockerId, CancellationToken cancellationToken) =>
        await LockersAsync(cancellationToken, lockerId) is [var locker, ..] ? locker : null;

    public async Task<ShopView?> ShopAsync(string shopId, CancellationToken cancellationToken) =>
        await ShopsAsync(cancellationToken, shopId) is [var shop, ..] ? shop : null;

    /// <summary>Every shop, or only the one named.</summary>
    public Task<IReadOnlyList<ShopView>> ShopsAsync(CancellationToken cancellationToken, string? shopId = null) => QueryAsync(
        "select shop_id, name, address, lat, lon, relay_point, open from rm_shops where $1::text is null or shop_id = $1 order by name",
        r => new ShopView(r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4), r.GetBoolean(5), r.GetBoolean(6)),
        cancellationToken,
        shopId);

    public Task<IReadOnlyList<CourierView>> CouriersAsync(CancellationToken cancellationToken) => QueryAsync(
        """
        select c.courier_id, c.name, c.vehicle, c.capacity_units, c.on_shift, c.active,
            (select count(*) from rm_parcels p where p.courier_id = c.courier_id and p.status in ('InTransit', 'Returning'))
        from rm_couriers c order by c.name
        """,
        r => new CourierView(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetBoolean(4), r.GetBoolean(5), (int)r.GetInt64(6)),
        cancellationToken);

    public Task<IReadOnlyList<(string ParcelId, string Kind)>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken) => QueryAsync(
        """
        select parcel_id, case when collect_by <= $1 then 'expire' else 'remind' end from rm_parcels
        where status = 'AwaitingCollection' and (collect_by <= $1 or (not reminded and remind_at <= $1))
        order by collect_by limit 500
        """,
        r => (r.GetString(0), r.GetString(1)),
        cancellationToken,
        now);

    /// <summary>Erasure: the read models forget the person too (events are unreadable already, their key being gone).</summary>
    public async Task ForgetPersonAsync(string personId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("update rm_parcels set recipient_name = '[erased]', home_lat = null, home_lon = null where person_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = personId });
        await command.ExecuteNonQueryAsync(cancellationToken);
        await using var stops = dataSource.CreateCommand("update rm_round_stops set place_name = '[erased]', address = null, lat = null, lon = null where person_id = $1");
        stops.Parameters.Add(new NpgsqlParameter { Value = personId });
        await stops.ExecuteNonQueryAsync(cancellationToken);
    }
}
