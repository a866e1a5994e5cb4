using Logistics.EventStore.Postgres;
using Logistics.Testing;
using Npgsql;

namespace Logistics.EventStore.Tests.Contract;

public sealed class PostgresEventStoreTests : EventStoreContract, IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await PostgresServer.CreateDatabaseAsync("contract"));
        await PostgresSchema.EnsureAsync(_dataSource);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    protected override Task<IEventStore> CreateStoreAsync() => Task.FromResult<IEventStore>(new PostgresEventStore(_dataSource!));

    [Fact]
    public async Task TheSchemaCanBeAppliedAgainAtEveryStart()
    {
        await PostgresSchema.EnsureAsync(_dataSource!);
        await PostgresSchema.EnsureAsync(_dataSource!);
    }
}
