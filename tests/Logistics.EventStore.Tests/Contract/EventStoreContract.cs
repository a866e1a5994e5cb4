namespace Logistics.EventStore.Tests.Contract;

/// <summary>The behaviour every event store must have; run against the in-memory and the PostgreSQL store.</summary>
public abstract class EventStoreContract
{
    protected abstract Task<IEventStore> CreateStoreAsync();

    internal static EventData Event(string type = "Something", string data = """{"n":1}""", Guid? id = null) =>
        new(id ?? Guid.NewGuid(), type, 1, data, new EventMetadata(DateTimeOffset.UnixEpoch, "shop", "shop-1", Guid.NewGuid()));

    private static string NewStream() => $"parcel-{Guid.NewGuid():N}";

    [Fact]
    public async Task AppendedEventsReadBackInOrderWithVersionsFromOne()
    {
        var store = await CreateStoreAsync();
        var stream = NewStream();
        var result = await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("A"), Event("B")]);
        await store.AppendAsync(stream, 2, [Event("C", """{"n":3}""")]);

        var events = await store.ReadStreamAsync(stream);

        Assert.Equal(2, result.NextExpectedVersion);
        Assert.Equal(["A", "B", "C"], events.Select(e => e.EventType));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.StreamVersion));
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(events[2].Data).RootElement.GetProperty("n").GetInt32());
        Assert.Equal("shop-1", events[0].Metadata.ActorId);
        Assert.Equal(events.Skip(1).Select(e => e.EventType), (await store.ReadStreamAsync(stream, 2)).Select(e => e.EventType));
    }

    [Fact]
    public async Task AnUnknownStreamReadsEmpty()
    {
        var store = await CreateStoreAsync();
        Assert.Empty(await store.ReadStreamAsync(NewStream()));
    }

    [Fact]
    public async Task AppendingAtAStaleVersionIsAConflictNamingTheActualVersion()
    {
        var store = await CreateStoreAsync();
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event(), Event()]);

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.AppendAsync(stream, 1, [Event()]));

        Assert.Equal(2, conflict.ActualVersion);
        Assert.Equal(1, conflict.ExpectedVersion);
        Assert.Equal(2, (await store.ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task CreatingAStreamThatExistsIsAConflict()
    {
        var store = await CreateStoreAsync();
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event()]);

        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => store.AppendAsync(stream, ExpectedVersion.NoStream, [Event()]));
    }

    [Fact]
    public async Task AnyVersionAppendsWhateverTheStreamHolds()
    {
        var store = await CreateStoreAsync();
        var stream = NewStream();
        await store.AppendAsync(stream, ExpectedVersion.Any, [Event()]);
        var second = await store.AppendAsync(stream, ExpectedVersion.Any, [Event()]);

        Assert.Equal(2, second.NextExpectedVersion);
    }

    [Fact]
    public async Task TwoConcurrentAppendsAtTheSameVersionExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        for (var round = 0; round < 10; round++)
        {
            var stream = NewStream();
            await store.AppendAsync(stream, ExpectedVersion.NoStream, [Event()]);

            var attempts = Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
            {
                try
                {
                    await store.AppendAsync(stream, 1, [Event($"Writer{i}")]);
                    return true;
                }
                catch (WrongExpectedVersionException)
                {
                    return false;
                }
            })).ToArray();
            var outcomes = await Task.WhenAll(attempts);

            Assert.Single(outcomes, won => won);
            Assert.Equal(2, (await store.ReadStreamAsync(stream)).Count);
        }
    }

    [Fact]
    public async Task ReAppendingTheSameEventIdsIsANoOpReportingTheOriginalPositions()
    {
        var store = await CreateStoreAsync();
        var stream = NewStream();
        var batch = new[] { Event("A"), Event("B") };
        var first = await store.AppendAsync(stream, ExpectedVersion.NoStream, batch);

        // A retry after a lost answer: same ids, same (now stale) expected version.
        var retry = await store.AppendAsync(stream, ExpectedVersion.NoStream, batch);

        Assert.False(first.WasDuplicate);
        Assert.True(retry.WasDuplicate);
        Assert.Equal(first.Positions, retry.Positions);
        Assert.Equal(first.NextExpectedVersion, retry.NextExpectedVersion);
        Assert.Equal(2, (await store.ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task ConcurrentRetriesOfOneAppendStoreItOnce()
    {
        var store = await CreateStoreAsync();
        var stream = NewStream();
        var batch = new[] { Event("A") };

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => store.AppendAsync(stream, ExpectedVersion.Any, batch))));

        Assert.Single(await store.ReadStreamAsync(stream));
        Assert.Single(results.Select(r => r.Positions[0]).Distinct());
    }

    [Fact]
    public async Task ReusingSomeEventIdsInADifferentBatchIsRefused()
    {
        var store = await CreateStoreAsync();
        var stream = NewStream();
        var a = Event("A");
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [a]);

        await Assert.ThrowsAsync<EventIdReuseException>(() => store.AppendAsync(stream, ExpectedVersion.Any, [Event("B"), a]));
        await Assert.ThrowsAsync<EventIdReuseException>(() => store.AppendAsync(NewStream(), ExpectedVersion.Any, [a]));
    }

    [Fact]
    public async Task TheGlobalLogHoldsEveryStreamInAppendOrderAndPagesFromAPosition()
    {
        var store = await CreateStoreAsync();
        var start = await LastPositionAsync(store);
        var s1 = NewStream();
        var s2 = NewStream();
        await store.AppendAsync(s1, ExpectedVersion.NoStream, [Event("A")]);
        await store.AppendAsync(s2, ExpectedVersion.NoStream, [Event("B")]);
        await store.AppendAsync(s1, 1, [Event("C")]);

        // A reader may see events late (another transaction can hold the snapshot back), never skip them.
        var all = await ReadAtLeastAsync(store, start, 3);
        var page = await store.ReadAllAsync(all[0].Position, 1);

        Assert.Equal(["A", "B", "C"], all.Select(e => e.EventType));
        Assert.Equal([s1, s2, s1], all.Select(e => e.StreamId));
        Assert.True(all[0].Position < all[1].Position && all[1].Position < all[2].Position);
        Assert.Equal("B", Assert.Single(page).EventType);
    }

    [Fact]
    public async Task AnEmptyAppendIsRefused()
    {
        var store = await CreateStoreAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(NewStream(), ExpectedVersion.Any, []));
    }

    [Fact]
    public async Task AReaderWaitingForTheNextAppendIsWokenByIt()
    {
        var store = await CreateStoreAsync();
        var next = store.NextAppend();
        Assert.False(next.IsCompleted);

        await store.AppendAsync(NewStream(), ExpectedVersion.NoStream, [Event()]);

        var finished = await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(next, finished);
        Assert.False(store.NextAppend().IsCompleted);
    }

    private static async Task<IReadOnlyList<RecordedEvent>> ReadAtLeastAsync(IEventStore store, GlobalPosition after, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await store.ReadAllAsync(after, 100);
            if (page.Count >= count || DateTime.UtcNow > deadline)
            {
                return page;
            }

            await Task.Delay(20);
        }
    }

    private static async Task<GlobalPosition> LastPositionAsync(IEventStore store)
    {
        var position = GlobalPosition.Start;
        while (true)
        {
            var page = await store.ReadAllAsync(position, 1000);
            if (page.Count == 0)
            {
                return position;
            }

            position = page[^1].Position;
        }
    }
}
