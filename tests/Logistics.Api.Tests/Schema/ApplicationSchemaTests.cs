using Logistics.Api.Tests.Support;
using Logistics.Application.ProcessManagers;
using Logistics.Application.Projections;
using Logistics.Application.Schema;
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
}
