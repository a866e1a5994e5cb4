using Logistics.EventStore.PersonalData;
using Logistics.EventStore.Postgres;
using Logistics.Testing;
using Npgsql;

namespace Logistics.EventStore.Tests.Serialization;

public sealed class PostgresPersonalDataKeysTests : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await PostgresServer.CreateDatabaseAsync("keys"));
        await PostgresSchema.EnsureAsync(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource!.DisposeAsync();

    [Fact]
    public async Task ErasureDeletesTheKeySoStoredEventsNoLongerRevealThePerson()
    {
        var store = new PostgresEventStore(_dataSource!);
        var writer = EventSerializerTests.Create(new PostgresPersonalDataKeys(_dataSource!, TestKeks.Shared));
        var sample = new Registered(new TestParcelId("p-2"), new Person("person-2", "Léa Dubois", "+33600000000", null, null), new Where.Locker("l"), "Small parcel with a long size name");
        await store.AppendAsync("parcel-p-2", ExpectedVersion.NoStream, [writer.ToEventData(sample, EventMetadata.System(DateTimeOffset.UnixEpoch))]);

        // Another node with a cold cache reads the person back.
        var reader = EventSerializerTests.Create(new PostgresPersonalDataKeys(_dataSource!, TestKeks.Shared));
        var read = (Registered)reader.Deserialize((await store.ReadStreamAsync("parcel-p-2"))[0]);
        Assert.Equal("Léa Dubois", read.Recipient.Name);
        Assert.Equal(new Where.Locker("l"), read.Destination); // "$type" survives jsonb's key reordering

        await new PostgresPersonalDataKeys(_dataSource!, TestKeks.Shared).EraseAsync("person-2");
        var afterErasure = EventSerializerTests.Create(new PostgresPersonalDataKeys(_dataSource!, TestKeks.Shared));
        var erased = (Registered)afterErasure.Deserialize((await store.ReadStreamAsync("parcel-p-2"))[0]);

        Assert.Equal("[erased]", erased.Recipient.Name);
        await using var keyLeft = _dataSource!.CreateCommand("select count(*) from es_personal_keys where person_id = 'person-2' and key is not null");
        Assert.Equal(0L, await keyLeft.ExecuteScalarAsync());
    }

    /// <summary>Issue 11, class 13: the key cache holds a bounded number of people, and what it dropped is read again.</summary>
    [Fact]
    public async Task TheKeyCacheIsBoundedAndWhatItDroppedIsReadAgain()
    {
        var keys = new PostgresPersonalDataKeys(_dataSource!, TestKeks.Shared, cacheCapacity: 20);
        var first = keys.GetOrCreate("person-0");
        for (var i = 1; i < 300; i++)
        {
            keys.GetOrCreate($"person-{i}");
        }

        Assert.InRange(keys.CachedPeople, 1, 20);
        Assert.Equal(first, keys.Find("person-0"));
        await keys.EraseAsync("person-0");
        Assert.Null(keys.Find("person-0"));
    }
}
