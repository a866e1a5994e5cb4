using System.Collections.Concurrent;
using Logistics.EventStore.Postgres;
using Logistics.EventStore.Tests.Contract;
using Logistics.Testing;
using Npgsql;

namespace Logistics.EventStore.Tests.Postgres;

/// <summary>
/// A sequence value is taken at insert time but becomes visible at commit, so a reader that trusts
/// "position > checkpoint" skips events committed late by slow transactions. These tests run many concurrent
/// writers (some slow, some rolled back, some holding a transaction id before taking a stream's lock) against a
/// concurrent subscriber, and check that every committed event is seen exactly once and each stream in order.
/// </summary>
public sealed class GlobalLogOrderingTests : IAsyncLifetime
{
    private const int Writers = 12;
    private const int TransactionsPerWriter = 25;
    private const int SharedStreams = 6;
    private NpgsqlDataSource? _dataSource;

    public async Task InitializeAsync()
    {
        _dataSource = PostgresDataSource.Create(await PostgresServer.CreateDatabaseAsync("ordering"));
        await PostgresSchema.EnsureAsync(_dataSource);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task EveryCommittedEventIsSeenExactlyOnceAndEachStreamInOrder()
    {
        var store = new PostgresEventStore(_dataSource!);
        var outcome = await RunAsync(new TransactionOrderedReader(store));

        Assert.True(outcome.Committed > 300, $"only {outcome.Committed} events were committed");
        Assert.True(outcome.RolledBack > 0, "the scenario should roll some transactions back");
        Assert.Equal(0, outcome.Missed);
        Assert.Equal(0, outcome.SeenTwice);
        Assert.Equal(0, outcome.RolledBackSeen);
        Assert.Equal(0, outcome.OutOfStreamOrder);
    }

    [Fact]
    public async Task TheSameCheckCatchesANaiveReaderThatTrustsTheSequence()
    {
        var outcome = await RunAsync(new NaiveSequenceReader(_dataSource!));

        // If this ever passes with a naive reader, the scenario above has lost its teeth.
        Assert.True(outcome.Missed > 0, $"the naive reader missed nothing out of {outcome.Committed}");
    }

    private async Task<Outcome> RunAsync(IGlobalLogReader reader)
    {
        var committed = new ConcurrentDictionary<Guid, byte>();
        var rolledBack = new ConcurrentDictionary<Guid, byte>();
        var seen = new ConcurrentDictionary<Guid, int>();
        var lastVersionSeen = new Dictionary<string, long>();
        var outOfOrder = 0;
        var conflicts = 0;
        using var writersDone = new CancellationTokenSource();

        var subscriber = Task.Run(async () =>
        {
            var drainedAfterDone = false;
            while (!drainedAfterDone)
            {
                // Done once the writers are and every committed event is below the snapshot's xmin (other tests'
                // transactions may hold it back for a while): a final read then sees all a reader ever will.
                var finished = writersDone.IsCancellationRequested && await AllCommittedReadableAsync();
                var page = await reader.ReadAsync(500);
                foreach (var e in page)
                {
                    seen.AddOrUpdate(e.EventId, 1, (_, n) => n + 1);
                    if (lastVersionSeen.TryGetValue(e.StreamId, out var last) && e.StreamVersion != last + 1)
                    {
                        outOfOrder++;
                    }

                    lastVersionSeen[e.StreamId] = e.StreamVersion;
                }

                if (page.Count == 0)
                {
                    drainedAfterDone = finished;
                    await Task.Delay(2);
                }
            }
        });

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(1000 + w);
            for (var t = 0; t < TransactionsPerWriter; t++)
            {
                var stream = random.Next(3) == 0 ? $"shared-{random.Next(SharedStreams)}" : $"writer-{w}-{t}";
                var batch = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => EventStoreContract.Event()).ToArray();
                var slow = random.Next(4) == 0;
                var rollback = random.Next(10) == 0;
                var xidFirst = random.Next(3) == 0;

                await using var connection = await _dataSource!.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                if (xidFirst)
                {
                    // Take a transaction id before the stream's lock, then let others overtake us.
                    await using var take = new NpgsqlCommand("select pg_current_xact_id()", connection, transaction);
                    await take.ExecuteScalarAsync();
                    await Task.Delay(random.Next(1, 15));
                }

                // Half the appends name the version they read (the store's one-statement path, or a conflict when
                // another writer got there first), the others any version (es_append).
                var expected = ExpectedVersion.Any;
                if (random.Next(2) == 0)
                {
                    await using var version = new NpgsqlCommand(
                        "select coalesce((select version from es_streams where stream_id = $1), 0)", connection, transaction);
                    version.Parameters.Add(new NpgsqlParameter { Value = stream });
                    expected = (long)(await version.ExecuteScalarAsync())!;
                }

                try
                {
                    await PostgresEventStore.AppendAsync(connection, transaction, stream, expected, batch);
                }
                catch (WrongExpectedVersionException)
                {
                    await transaction.RollbackAsync();
                    Interlocked.Increment(ref conflicts);
                    foreach (var e in batch)
                    {
                        rolledBack[e.EventId] = 0;
                    }

                    continue;
                }

                if (slow)
                {
                    // Holds a sequence value taken early while faster writers commit larger ones.
                    await Task.Delay(random.Next(20, 80));
                }

                if (rollback)
                {
                    await transaction.RollbackAsync();
                    foreach (var e in batch)
                    {
                        rolledBack[e.EventId] = 0;
                    }
                }
                else
                {
                    await transaction.CommitAsync();
                    foreach (var e in batch)
                    {
                        committed[e.EventId] = 0;
                    }
                }
            }
        })).ToArray();

        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        await subscriber;

        return new Outcome(
            committed.Count,
            rolledBack.Count,
            committed.Keys.Count(id => !seen.ContainsKey(id)),
            seen.Count(kv => kv.Value > 1),
            rolledBack.Keys.Count(seen.ContainsKey),
            outOfOrder,
            conflicts);
    }

    private async Task<bool> AllCommittedReadableAsync()
    {
        await using var command = _dataSource!.CreateCommand(
            "select not exists (select 1 from es_events where tx_id >= pg_snapshot_xmin(pg_current_snapshot()))");
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private sealed record Outcome(int Committed, int RolledBack, int Missed, int SeenTwice, int RolledBackSeen, int OutOfStreamOrder, int Conflicts);

    private interface IGlobalLogReader
    {
        Task<IReadOnlyList<RecordedEvent>> ReadAsync(int max);
    }

    private sealed class TransactionOrderedReader(PostgresEventStore store) : IGlobalLogReader
    {
        private GlobalPosition _checkpoint = GlobalPosition.Start;

        public async Task<IReadOnlyList<RecordedEvent>> ReadAsync(int max)
        {
            var page = await store.ReadAllAsync(_checkpoint, max);
            if (page.Count > 0)
            {
                _checkpoint = page[^1].Position;
            }

            return page;
        }
    }

    /// <summary>The tempting reader: "seq greater than the last one I saw". It loses events.</summary>
    private sealed class NaiveSequenceReader(NpgsqlDataSource dataSource) : IGlobalLogReader
    {
        private long _checkpoint;

        public async Task<IReadOnlyList<RecordedEvent>> ReadAsync(int max)
        {
            await using var command = dataSource.CreateCommand(
                "select event_id, stream_id, version, seq from es_events where seq > $1 order by seq limit $2");
            command.Parameters.Add(new NpgsqlParameter { Value = _checkpoint });
            command.Parameters.Add(new NpgsqlParameter { Value = max });
            var page = new List<RecordedEvent>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var seq = reader.GetInt64(3);
                page.Add(new RecordedEvent(
                    reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), new GlobalPosition(0, seq), "", 1, "{}",
                    EventMetadata.System(DateTimeOffset.UnixEpoch), DateTimeOffset.UnixEpoch));
                _checkpoint = seq;
            }

            return page;
        }
    }
}
