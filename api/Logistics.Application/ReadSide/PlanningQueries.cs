using Logistics.Domain;
using Logistics.Domain.Rounds;
using Npgsql;

namespace Logistics.Application.ReadSide;

/// <summary>
/// What planning reads: the rounds it wrote (<c>planning_rounds</c>, <c>planning_parcels</c>, kept with the rounds'
/// events so a parcel action finds its round at once) and the candidates from the read models. Every candidate is
/// confirmed on its stream before it is planned.
/// </summary>
public sealed class PlanningQueries(NpgsqlDataSource dataSource)
{
    private const string Candidate = "'AwaitingPickup', 'DroppedAtLocker', 'InTransit', 'Expired', 'Returning'";

    private readonly Sql _sql = new(dataSource);

    /// <summary>Each courier's current round, for a network's couriers.</summary>
    public async Task<IReadOnlyDictionary<CourierId, RoundId>> CurrentRoundsAsync(string network, CancellationToken cancellationToken) =>
        (await _sql.ListAsync(
            "select p.courier_id, p.round_id from planning_rounds p join rm_couriers c on c.courier_id = p.courier_id where c.network_id = $1 order by p.courier_id",
            r => (new CourierId(r.GetString(0)), new RoundId(r.GetString(1))),
            cancellationToken,
            network))
            .ToDictionary(x => x.Item1, x => x.Item2);

    /// <summary>The networks planning has something to do in: couriers, or parcels waiting for a round.</summary>
    public Task<IReadOnlyList<string>> NetworksToPlanAsync(CancellationToken cancellationToken) => _sql.ListAsync(
        $"select network_id from rm_couriers union select network_id from rm_parcels where status in ({Candidate}) order by 1",
        r => r.GetString(0),
        cancellationToken);

    public async Task<RoundId?> RoundOfCourierAsync(CourierId courier, CancellationToken cancellationToken) =>
        await _sql.TextAsync("select round_id from planning_rounds where courier_id = $1", cancellationToken, courier.Value) is { } id ? new RoundId(id) : null;

    /// <summary>The round that plans a parcel, if any.</summary>
    public async Task<RoundId?> RoundOfParcelAsync(ParcelId parcel, CancellationToken cancellationToken) =>
        await _sql.TextAsync("select round_id from planning_parcels where parcel_id = $1", cancellationToken, parcel.Value) is { } id ? new RoundId(id) : null;

    /// <summary>Whether a parcel is in this courier's round.</summary>
    public async Task<bool> InRoundOfAsync(ParcelId parcel, CourierId courier, CancellationToken cancellationToken) =>
        (await _sql.ListAsync("select 1 from planning_parcels where parcel_id = $1 and courier_id = $2", _ => 1, cancellationToken, parcel.Value, courier.Value)).Count > 0;

    /// <summary>Parcels of a network a full plan may take: waiting at shops or in lockers, on board, or to be taken back.</summary>
    public async Task<IReadOnlyList<ParcelId>> CandidatesAsync(string network, CancellationToken cancellationToken) =>
        [.. (await _sql.ListAsync(
            $"select parcel_id from rm_parcels where network_id = $1 and status in ({Candidate}) order by registered_at, parcel_id",
            r => r.GetString(0),
            cancellationToken,
            network)).Select(id => new ParcelId(id))];

    /// <summary>Parcels a courier's re-plan keeps: what they carry and what their round holds.</summary>
    public async Task<IReadOnlyList<ParcelId>> CandidatesOfAsync(CourierId courier, CancellationToken cancellationToken) =>
        [.. (await _sql.ListAsync(
            """
            select parcel_id from rm_parcels where courier_id = $1 and status in ('InTransit', 'Returning')
            union select parcel_id from planning_parcels where courier_id = $1
            order by 1
            """,
            r => r.GetString(0),
            cancellationToken,
            courier.Value)).Select(id => new ParcelId(id))];

    /// <summary>Compartments of a network's lockers reserved for parcels a round plans (an earlier plan's reservations).</summary>
    public Task<IReadOnlyList<(LockerId Locker, ParcelId Parcel)>> ReservedForPlannedAsync(string network, CancellationToken cancellationToken) => _sql.ListAsync(
        """
        select c.locker_id, c.parcel_id from rm_compartments c join planning_parcels p on p.parcel_id = c.parcel_id
        join rm_lockers l on l.locker_id = c.locker_id
        where c.status = 'reserved' and l.network_id = $1
        """,
        r => (new LockerId(r.GetString(0)), new ParcelId(r.GetString(1))),
        cancellationToken,
        network);

    /// <summary>Compartments still reserved for parcels of a network their shop cancelled.</summary>
    public Task<IReadOnlyList<(LockerId Locker, ParcelId Parcel)>> ReservedForCancelledAsync(string network, CancellationToken cancellationToken) => _sql.ListAsync(
        """
        select c.locker_id, c.parcel_id from rm_compartments c join rm_parcels p on p.parcel_id = c.parcel_id
        where c.status = 'reserved' and p.status = 'Cancelled' and p.network_id = $1
        """,
        r => (new LockerId(r.GetString(0)), new ParcelId(r.GetString(1))),
        cancellationToken,
        network);

    /// <summary>Whether a courier who left the shift still has an active round (a re-plan gives their work to others).</summary>
    public async Task<bool> ActiveRoundOffShiftAsync(CancellationToken cancellationToken) =>
        await _sql.ScalarAsync<bool>(
            """
            select exists (select 1 from planning_rounds p join rm_rounds r on r.round_id = p.round_id
                left join rm_couriers c on c.courier_id = p.courier_id
                where r.status = 'active' and not coalesce(c.on_shift, false))
            """,
            cancellationToken) is true;
}
