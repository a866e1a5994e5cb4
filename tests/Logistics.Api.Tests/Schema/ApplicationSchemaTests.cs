using Logistics.Api.Tests.Support;
using Logistics.Application.ProcessManagers;
using Logistics.Application.Projections;
using Logistics.Application.Schema;
using Logistics.EventStore.Postgres;
using Logistics.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Logistics.Api.Tests.Schema;

public sealed class ApplicationSchemaTests : ApiTest
{
    /// <summary>Every node applies the schema at start: over a network in use, twice, it changes no object and no row.</summary>
    [Fact]
    public async Task ApplyingTheSchemaAgainOverANetworkInUseLeavesTheSameObjectsAndData()
    {
        await Net.DepositedAsync();
        await using var dataSource = NpgsqlDataSource.Create(Server.ConnectionString);
        var before = await SchemaSnapshot.TakeAsync(dataSource);

        for (var start = 0; start < 2; start++)
        {
            await ApplicationSchema.EnsureAsync(dataSource);
            await Server.Services.GetRequiredService<ProjectionHost>().EnsureSchemaAsync(CancellationToken.None);
            await Server.Services.GetRequiredService<ProcessManagerHost>().EnsureCheckpointsAsync(CancellationToken.None);
        }

        Assert.Equal(before, await SchemaSnapshot.TakeAsync(dataSource));
        Assert.Contains(before, line => line.StartsWith("rows rm_parcels 1 ", StringComparison.Ordinal));
        Assert.Contains(before, line => line.StartsWith("rows locker_commands ", StringComparison.Ordinal) && !line.StartsWith("rows locker_commands 0 ", StringComparison.Ordinal));
        Assert.Contains(before, line => line.StartsWith("function es_append ", StringComparison.Ordinal));
    }

    /// <summary>
    /// A second node starting while the first is at work: with the schema already in place it takes no table lock, so
    /// a transaction holding the lockers' devices open (a board's session mid-batch) neither blocks it nor meets it in
    /// a deadlock. (Before, its "alter table … if not exists" waited for the table, then deadlocked with the node.)
    /// </summary>
    [Fact]
    public async Task ANodeStartingBesideABusyOneAppliesNothingAndWaitsForNoTable()
    {
        await using var dataSource = NpgsqlDataSource.Create(Server.ConnectionString);
        await using var busy = await dataSource.OpenConnectionAsync();
        await using var work = await busy.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("lock table locker_devices, api_credentials in row exclusive mode", busy, work))
        {
            await hold.ExecuteNonQueryAsync();
        }

        await ApplicationSchema.EnsureAsync(dataSource).WaitAsync(TimeSpan.FromSeconds(30));
        await work.CommitAsync();
    }

    /// <summary>A script whose text changed is applied once more (in one transaction); the same text again is not.</summary>
    [Fact]
    public async Task AChangedScriptIsAppliedAndTheSameOneIsNot()
    {
        await using var dataSource = NpgsqlDataSource.Create(Server.ConnectionString);
        const string First = "create table if not exists schema_probe (n int); insert into schema_probe values (1)";
        await SchemaScript.ApplyAsync(dataSource, "probe", First, 99_000_001);
        await SchemaScript.ApplyAsync(dataSource, "probe", First, 99_000_001);
        await SchemaScript.ApplyAsync(dataSource, "probe", First + "; insert into schema_probe values (2)", 99_000_001);

        await using var rows = dataSource.CreateCommand("select string_agg(n::text, ',' order by n) from schema_probe");
        Assert.Equal("1,1,2", await rows.ExecuteScalarAsync());
    }
}
