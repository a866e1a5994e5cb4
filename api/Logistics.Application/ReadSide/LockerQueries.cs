using Logistics.Domain;
using Logistics.Domain.Parcels;
using Npgsql;

namespace Logistics.Application.ReadSide;

/// <summary>Questions about lockers, answered from the lockers' read model.</summary>
public sealed class LockerQueries(NpgsqlDataSource dataSource)
{
    private const string Occupancy =
        $"""
        select l.locker_id, l.name, l.address, l.lat, l.lon, l.online and {Lockers.LockerSessions.AliveSql}, l.last_seen_at,
            count(c.number), count(c.number) filter (where c.status = 'free'),
            count(c.number) filter (where c.status = 'free' and c.size = 'S'),
            count(c.number) filter (where c.status = 'free' and c.size = 'M'),
            count(c.number) filter (where c.status = 'free' and c.size = 'L'),
            count(c.number) filter (where c.status = 'occupied'), count(c.number) filter (where c.status = 'reserved'),
            count(c.number) filter (where c.status = 'out_of_service'),
            (select count(*) from rm_locker_alarms a where a.locker_id = l.locker_id)
        from rm_lockers l left join rm_compartments c on c.locker_id = l.locker_id
        """;

    private const string InNetwork = "($1::text is null or l.network_id = $1)";

    private const string NotAHomeBox = "not exists (select 1 from rm_home_boxes h where h.box_id = l.locker_id)";

    private readonly Sql _sql = new(dataSource);

    /// <summary>Every locker of a network (of all, for null) with its occupancy, by name.</summary>
    public Task<IReadOnlyList<LockerView>> AllAsync(string? network, CancellationToken cancellationToken) =>
        _sql.ListAsync($"{Occupancy} where {InNetwork} group by l.locker_id order by l.name", ReadLocker, cancellationToken, network);

    /// <summary>The network's lockers, without the residents' home boxes (what shops choose from and couriers see on the map).</summary>
    public Task<IReadOnlyList<LockerView>> NetworkAsync(string network, CancellationToken cancellationToken) =>
        _sql.ListAsync($"{Occupancy} where {NotAHomeBox} and {InNetwork} group by l.locker_id order by l.name", ReadLocker, cancellationToken, network);

    /// <summary>
    /// The doors the core asked a locker's board to open, newest first: why (deposit, pickup, collection), for which
    /// parcel, who caused it (the courier or shop whose request it follows, or the customer whose code was checked
    /// online) and what the board answered.
    /// </summary>
    public Task<IReadOnlyList<DoorLogEntry>> DoorLogAsync(LockerId locker, int limit, CancellationToken cancellationToken) =>
        _sql.ListAsync(
            """
            select c.created_at, c.body::jsonb ->> 'kind', (c.body::jsonb ->> 'compartment')::int, c.body::jsonb ->> 'parcelId',
                   case when c.command_id like 'collection:%' then 'customer' else e.metadata ->> 'actorKind' end,
                   case when c.command_id like 'collection:%' then null else e.metadata ->> 'actorId' end,
                   c.status, c.result_at
            from locker_commands c
            left join es_events e on e.event_id = case when c.command_id ~ '^[0-9a-f]{32}-door$' then left(c.command_id, 32)::uuid end
            where c.locker_id = $1 and c.body::jsonb ->> 'kind' in ('openForDeposit', 'openForPickup', 'openForCollection', 'remoteOpen')
            order by c.seq desc
            limit $2
            """,
            r => new DoorLogEntry(
                r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7)),
            cancellationToken,
            locker.Value,
            limit);

    public Task<LockerView?> FindAsync(LockerId locker, CancellationToken cancellationToken) =>
        _sql.FirstAsync($"{Occupancy} where l.locker_id = $1 group by l.locker_id", ReadLocker, cancellationToken, locker.Value);

    public Task<string?> NameAsync(LockerId locker, CancellationToken cancellationToken) =>
        _sql.TextAsync("select name from rm_lockers where locker_id = $1", cancellationToken, locker.Value);

    public Task<IReadOnlyList<CompartmentView>> CompartmentsAsync(LockerId locker, CancellationToken cancellationToken) => _sql.ListAsync(
        "select number, size, low_height, status, parcel_id, door_open from rm_compartments where locker_id = $1 order by number",
        r => new CompartmentView(r.GetInt32(0), r.GetString(1), r.GetBoolean(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetBoolean(5)),
        cancellationToken,
        locker.Value);

    public Task<IReadOnlyList<AlarmView>> AlarmsAsync(LockerId locker, CancellationToken cancellationToken) => _sql.ListAsync(
        "select kind, compartment, raised_at from rm_locker_alarms where locker_id = $1 order by raised_at",
        r => new AlarmView(r.GetString(0), r.GetInt32(1) == 0 ? null : r.GetInt32(1), r.GetFieldValue<DateTimeOffset>(2)),
        cancellationToken,
        locker.Value);

    /// <summary>A network's lockers' positions and free compartment sizes (for redirection: never into a resident's home box, nor another network's locker).</summary>
    public Task<IReadOnlyList<LockerSnapshot>> SnapshotsAsync(string network, CancellationToken cancellationToken) => _sql.ListAsync(
        $$"""
        select l.locker_id, l.lat, l.lon, coalesce(array_agg(c.size) filter (where c.status = 'free'), '{}')
        from rm_lockers l left join rm_compartments c on c.locker_id = l.locker_id
        where {{NotAHomeBox}} and l.network_id = $1
        group by l.locker_id, l.lat, l.lon
        """,
        r => new LockerSnapshot(
            new LockerId(r.GetString(0)),
            new GeoPoint(r.GetDouble(1), r.GetDouble(2)),
            r.GetFieldValue<string[]>(3).Select(Enum.Parse<ParcelSize>).ToArray()),
        cancellationToken,
        network);

    /// <summary>
    /// Compartments that may not hold what their parcels require: occupied by a parcel that does not lie there,
    /// reserved with no round planning the parcel, reserved for a parcel already placed or gone, or free while a
    /// parcel says it lies there. The repair decides on the streams. Of a network's lockers, or of all for null.
    /// </summary>
    public Task<IReadOnlyList<(string LockerId, int Compartment)>> RepairCandidatesAsync(string? network, CancellationToken cancellationToken) => _sql.ListAsync(
        """
        select x.locker_id, x.number from (
        select c.locker_id, c.number from rm_compartments c left join rm_parcels p on p.parcel_id = c.parcel_id
        where (c.status = 'occupied' and not coalesce(p.status in ('AwaitingCollection', 'DroppedAtLocker', 'Expired')
                and p.locker_id = c.locker_id and p.compartment = c.number, false))
            or (c.status = 'reserved' and not exists (select 1 from planning_parcels pp where pp.parcel_id = c.parcel_id))
            or (c.status = 'reserved' and p.status in ('AwaitingCollection', 'DroppedAtLocker', 'Expired', 'Collected', 'Cancelled', 'Delivered', 'Returned'))
        union
        select p.locker_id, p.compartment from rm_parcels p
        left join rm_compartments c on c.locker_id = p.locker_id and c.number = p.compartment
        where p.status in ('AwaitingCollection', 'DroppedAtLocker', 'Expired') and p.locker_id is not null and p.compartment is not null
            and (c.status is distinct from 'occupied' or c.parcel_id is distinct from p.parcel_id)
        ) x
        where $1::text is null or exists (select 1 from rm_lockers l where l.locker_id = x.locker_id and l.network_id = $1)
        order by 1, 2
        """,
        r => (r.GetString(0), r.GetInt32(1)),
        cancellationToken,
        network);

    private static LockerView ReadLocker(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4), r.GetBoolean(5),
        r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6),
        (int)r.GetInt64(7), (int)r.GetInt64(8),
        new FreeBySize((int)r.GetInt64(9), (int)r.GetInt64(10), (int)r.GetInt64(11)),
        (int)r.GetInt64(12), (int)r.GetInt64(13), (int)r.GetInt64(14), (int)r.GetInt64(15));
}
