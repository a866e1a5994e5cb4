using Logistics.Application.Lockers;
using Npgsql;

namespace Logistics.Application.Networks;

/// <summary>A network of the deployment, with the figures a federation compares side by side.</summary>
public sealed record NetworkView(
    string NetworkId,
    string Name,
    DateTimeOffset CreatedAt,
    int Shops,
    int Lockers,
    int LockersOnline,
    int Couriers,
    int CouriersOnShift,
    int ParcelsToday,
    int InTransit,
    int AwaitingCollection,
    int CollectedToday);

/// <summary>The deployment's networks: made by the federation operator; each shop, locker, courier and parcel is of one.</summary>
public sealed class NetworkDirectory(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>
    /// Records a network if it is not known yet (the operator key's network from configuration, named by its id
    /// until someone names it; a seeded town), or names one that only had its id for a name.
    /// </summary>
    public async Task EnsureAsync(string id, string name, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            insert into networks (network_id, name, created_at) values ($1, $2, $3)
            on conflict (network_id) do update set name = excluded.name where networks.name = networks.network_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records a new network; false when the id is taken.</summary>
    public async Task<bool> CreateAsync(string id, string name, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("insert into networks (network_id, name, created_at) values ($1, $2, $3) on conflict do nothing");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Every network with its figures today (UTC day), by name.</summary>
    public async Task<IReadOnlyList<NetworkView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            select n.network_id, n.name, n.created_at,
                (select count(*) from rm_shops s where s.network_id = n.network_id and s.open),
                (select count(*) from rm_lockers l where l.network_id = n.network_id),
                (select count(*) from rm_lockers l where l.network_id = n.network_id and l.online and {LockerSessions.AliveSql}),
                (select count(*) from rm_couriers c where c.network_id = n.network_id and c.active),
                (select count(*) from rm_couriers c where c.network_id = n.network_id and c.active and c.on_shift),
                (select count(*) from rm_parcels p where p.network_id = n.network_id and p.registered_at >= $1),
                (select count(*) from rm_parcels p where p.network_id = n.network_id and p.status in ('InTransit', 'Returning')),
                (select count(*) from rm_parcels p where p.network_id = n.network_id and p.status in ('AwaitingCollection', 'DroppedAtLocker')),
                (select count(*) from rm_parcels p where p.network_id = n.network_id and p.status = 'Collected' and p.updated_at >= $1)
            from networks n order by n.name, n.network_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero) });
        var networks = new List<NetworkView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            int Count(int i) => (int)reader.GetInt64(i);
            networks.Add(new NetworkView(
                reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                Count(3), Count(4), Count(5), Count(6), Count(7), Count(8), Count(9), Count(10), Count(11)));
        }

        return networks;
    }
}
