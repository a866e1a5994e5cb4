using Logistics.EventStore.Postgres;
using Logistics.Testing;
using Npgsql;

namespace Logistics.EventStore.Tests.Contract;

public sealed class PostgresEventStoreTests : EventStoreContract, IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public async Task InitializeAsync()
    {
        _dataSource = PostgresDataSource.Create(await PostgresServer.CreateDatabaseAsync("contract"));
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

    /// <summary>Every start applies the schema: over a store with events, twice, it changes no object and no row, and the store goes on.</summary>
    [Fact]
    public async Task ApplyingTheSchemaAgainLeavesTheSameObjectsAndData()
    {
        var store = new PostgresEventStore(_dataSource!);
        var metadata = EventMetadata.System(DateTimeOffset.UnixEpoch);
        await store.AppendAsync("parcel-1", ExpectedVersion.NoStream, [new EventData(Guid.NewGuid(), "ParcelRegistered", 1, "{\"n\":1}", metadata)]);
        await store.AppendAsync("parcel-1", 1, [new EventData(Guid.NewGuid(), "ParcelPickedUp", 1, "{\"n\":2}", metadata)]);
        var before = await SchemaSnapshot.TakeAsync(_dataSource!);

        await PostgresSchema.EnsureAsync(_dataSource!);
        await PostgresSchema.EnsureAsync(_dataSource!);

        Assert.Equal(before, await SchemaSnapshot.TakeAsync(_dataSource!));
        Assert.Contains(before, line => line.StartsWith("rows es_events 2 ", StringComparison.Ordinal));
        var appended = await store.AppendAsync("parcel-1", 2, [new EventData(Guid.NewGuid(), "ParcelDeposited", 1, "{\"n\":3}", metadata)]);
        Assert.Equal(3, appended.NextExpectedVersion);
    }
}
