using Logistics.EventStore.Postgres;
using Logistics.Testing;
using Npgsql;

namespace Logistics.EventStore.Tests.Postgres;

/// <summary>The data source the API builds from its connection string, for one server or a Patroni cluster's several.</summary>
public sealed class PostgresDataSourceTests
{
    [Fact]
    public async Task AMultiHostConnectionStringWithTargetSessionAttributesConnectsToTheWritableHost()
    {
        // The connection string api/README.md gives for a Patroni cluster, with the store's defaults added: Npgsql's
        // multi-host data source skips the host that is down and takes the one that accepts writes.
        var server = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("multihost"));
        var down = Loopback.FreePort();
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString)
        {
            Host = $"127.0.0.1:{down},{server.Host}:{server.Port}",
            TargetSessionAttributes = "read-write",
        }.ConnectionString;

        await using var dataSource = PostgresDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal(server.Port, connection.Port);
        await using var command = new NpgsqlCommand("select pg_is_in_recovery()", connection);
        Assert.Equal(false, await command.ExecuteScalarAsync());
    }
}
