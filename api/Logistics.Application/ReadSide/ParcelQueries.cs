using Logistics.Application.Access;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Npgsql;

namespace Logistics.Application.ReadSide;

/// <summary>Questions about parcels, answered from the parcels' and timeline read models.</summary>
public sealed class ParcelQueries(NpgsqlDataSource dataSource)
{
    private const string Columns =
        """
        p.parcel_id, p.tracking_id, p.shop_id, p.recipient_name, p.size, p.destination_kind, p.destination_locker,
        p.destination_shop, p.window_from, p.window_to, p.status, p.locker_id, p.compartment, p.relay_shop, p.courier_id,
        p.is_returning, p.collect_by, p.registered_at, p.updated_at, p.home_lat, p.home_lon
        """;

    // What each role may see: a shop its own parcels, a courier what it carries, an operator everything in its network.
    private const string OfShop = $"select {Columns} from rm_parcels p where p.shop_id = $1 and ($2::text is null or p.status = $2) and p.network_id = $3 order by p.registered_at desc limit 500";
    private const string OfCourier = $"select {Columns} from rm_parcels p where p.courier_id = $1 and ($2::text is null or p.status = $2) and p.network_id = $3 order by p.registered_at desc limit 500";
    private const string All = $"select {Columns} from rm_parcels p where $1::text is not null and ($2::text is null or p.status = $2) and p.network_id = $3 order by p.registered_at desc limit 500";

    private readonly Sql _sql = new(dataSource);

    /// <summary>The parcels a caller may see (the newest 500), optionally of one status.</summary>
    public Task<IReadOnlyList<ParcelView>> VisibleToAsync(Caller caller, string? status, CancellationToken cancellationToken) =>
        _sql.ListAsync(Visible(caller), ParcelView.Read, cancellationToken, caller.SubjectId, status, caller.Network);

    /// <summary>One parcel, if the caller may see it.</summary>
    public Task<ParcelView?> VisibleToAsync(Caller caller, ParcelId parcel, CancellationToken cancellationToken) =>
        _sql.FirstAsync(
            $"""
            select {Columns} from rm_parcels p where p.parcel_id = $1 and p.network_id = $4
                and ($2 = 'operator' or ($2 = 'shop' and p.shop_id = $3) or ($2 = 'courier' and p.courier_id = $3))
            """,
            ParcelView.Read,
            cancellationToken,
            parcel.Value,
            caller.Role,
            caller.SubjectId,
            caller.Network);

    /// <summary>The parcel a tracking number names (the customer's key to it).</summary>
    public Task<ParcelView?> ByTrackingAsync(string trackingId, CancellationToken cancellationToken) =>
        _sql.FirstAsync($"select {Columns} from rm_parcels p where p.tracking_id = $1", ParcelView.Read, cancellationToken, Normalise(trackingId));

    public async Task<ParcelId?> IdByTrackingAsync(string trackingId, CancellationToken cancellationToken) =>
        await _sql.TextAsync("select parcel_id from rm_parcels where tracking_id = $1", cancellationToken, Normalise(trackingId)) is { } id ? new ParcelId(id) : null;

    /// <summary>
    /// What a courier carries, as their page shows it: tracking numbers, shop and destination names, the recipient's
    /// first name alone.
    /// </summary>
    public Task<IReadOnlyList<CarriedParcel>> CarriedByAsync(CourierId courier, CancellationToken cancellationToken) => _sql.ListAsync(
        """
        select p.parcel_id, p.tracking_id, sh.name, p.recipient_name, p.size, p.status, p.destination_kind, p.destination_locker,
            coalesce(l.name, rs.name), p.is_returning
        from rm_parcels p
        left join rm_shops sh on sh.shop_id = p.shop_id
        left join rm_lockers l on l.locker_id = p.destination_locker
        left join rm_shops rs on rs.shop_id = p.destination_shop
        where p.courier_id = $1 order by p.registered_at desc
        """,
        r => new CarriedParcel(
            r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), RecipientNames.FirstName(r.GetString(3)), r.GetString(4), r.GetString(5),
            r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetBoolean(9)),
        cancellationToken,
        courier.Value);

    /// <summary>A parcel's history as lines, oldest first.</summary>
    public Task<IReadOnlyList<TimelineEntry>> TimelineAsync(ParcelId parcel, CancellationToken cancellationToken) => _sql.ListAsync(
        "select at, kind, text from rm_parcel_timeline where parcel_id = $1 order by tx::xid8, seq",
        r => new TimelineEntry(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetString(2)),
        cancellationToken,
        parcel.Value);

    /// <summary>Parcels whose reminder or expiry is due at <paramref name="now"/> (the oldest 500 first).</summary>
    public Task<IReadOnlyList<DueParcel>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken) => _sql.ListAsync(
        """
        select parcel_id, collect_by <= $1 from rm_parcels
        where status = 'AwaitingCollection' and (collect_by <= $1 or (not reminded and remind_at <= $1))
        order by collect_by limit 500
        """,
        r => new DueParcel(new ParcelId(r.GetString(0)), r.GetBoolean(1) ? DueWork.Expire : DueWork.Remind),
        cancellationToken,
        now);

    /// <summary>Parcels the read model places in a compartment (what the compartments' repair checks on their streams).</summary>
    public async Task<IReadOnlyList<ParcelId>> ClaimingAsync(LockerId locker, int compartment, CancellationToken cancellationToken) =>
        [.. (await _sql.ListAsync(
            "select parcel_id from rm_parcels where locker_id = $1 and compartment = $2 and status in ('AwaitingCollection', 'DroppedAtLocker', 'Expired')",
            r => r.GetString(0),
            cancellationToken,
            locker.Value,
            compartment)).Select(id => new ParcelId(id))];

    /// <summary>The parcels of a recipient (erasure reaches each of them), of one network when given.</summary>
    public async Task<IReadOnlyList<ParcelId>> OfPersonAsync(string personId, string? network, CancellationToken cancellationToken) =>
        [.. (await _sql.ListAsync("select parcel_id from rm_parcels where person_id = $1 and ($2::text is null or network_id = $2)", r => r.GetString(0), cancellationToken, personId, network)).Select(id => new ParcelId(id))];

    private static string Visible(Caller caller) => caller.Role switch
    {
        Roles.Shop => OfShop,
        Roles.Courier => OfCourier,
        Roles.Operator => All,
        _ => throw Refusal.Forbidden("Only shops, couriers and operators list parcels."),
    };

    private static string Normalise(string trackingId) => trackingId.Trim().ToUpperInvariant();
}

public enum DueWork
{
    Remind,
    Expire,
}

/// <summary>A parcel with time-driven work due.</summary>
public sealed record DueParcel(ParcelId Parcel, DueWork Work);
