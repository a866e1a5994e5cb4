using Logistics.Domain;
using Npgsql;

namespace Logistics.Application.ReadSide;

/// <summary>The network's shops and couriers, from the directory read model.</summary>
public sealed class DirectoryQueries(NpgsqlDataSource dataSource)
{
    private const string ShopColumns = "shop_id, name, address, lat, lon, relay_point, open";

    private readonly Sql _sql = new(dataSource);

    /// <summary>Every shop of a network (of all, for null), by name.</summary>
    public Task<IReadOnlyList<ShopView>> ShopsAsync(string? network, CancellationToken cancellationToken) =>
        _sql.ListAsync($"select {ShopColumns} from rm_shops where ($1::text is null or network_id = $1) order by name", ReadShop, cancellationToken, network);

    public Task<ShopView?> ShopAsync(ShopId shop, CancellationToken cancellationToken) =>
        _sql.FirstAsync($"select {ShopColumns} from rm_shops where shop_id = $1", ReadShop, cancellationToken, shop.Value);

    /// <summary>Every courier of a network (of all, for null) with their shift and how many parcels they carry, by name.</summary>
    public Task<IReadOnlyList<CourierView>> CouriersAsync(string? network, CancellationToken cancellationToken) => _sql.ListAsync(
        """
        select c.courier_id, c.name, c.vehicle, c.capacity_units, c.on_shift, c.active,
            (select count(*) from rm_parcels p where p.courier_id = c.courier_id and p.status in ('InTransit', 'Returning'))
        from rm_couriers c where ($1::text is null or c.network_id = $1) order by c.name
        """,
        r => new CourierView(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetBoolean(4), r.GetBoolean(5), (int)r.GetInt64(6)),
        cancellationToken,
        network);

    /// <summary>Active couriers of a network on shift now (planning's candidates, confirmed on their streams).</summary>
    public async Task<IReadOnlyList<CourierId>> OnShiftAsync(string network, CancellationToken cancellationToken) =>
        [.. (await _sql.ListAsync("select courier_id from rm_couriers where on_shift and active and network_id = $1 order by courier_id", r => r.GetString(0), cancellationToken, network)).Select(id => new CourierId(id))];

    /// <summary>The networks with an active courier on shift now: those planning has work for.</summary>
    public Task<IReadOnlyList<string>> NetworksOnShiftAsync(CancellationToken cancellationToken) =>
        _sql.ListAsync("select distinct network_id from rm_couriers where on_shift and active order by 1", r => r.GetString(0), cancellationToken);

    private static ShopView ReadShop(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4), r.GetBoolean(5), r.GetBoolean(6));
}
