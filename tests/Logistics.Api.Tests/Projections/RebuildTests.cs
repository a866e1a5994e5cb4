using Logistics.Application.Projections;
using Logistics.Application.Schema;
using Logistics.Application.Streams;
using Logistics.Domain.Parcels;
using Logistics.EventStore.PersonalData;
using Logistics.EventStore.Postgres;
using Logistics.EventStore.Serialization;
using Logistics.EventStore.Subscriptions;
using Logistics.Testing;
using Logistics.Testing.History;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Logistics.Api.Tests.Projections;

/// <summary>
/// Rebuilding the read models from position 0 (bulk builders into shadow tables, swapped in with the checkpoints)
/// gives, row for row, what the live projections built event by event; readers see the old model until the swap.
/// The history is a small generated département: every event type the projections read, sealed recipients, erasures.
/// </summary>
public sealed class RebuildTests : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;
    private PostgresPersonalDataKeys? _keys;
    private EventSerializer? _serializer;
    private PostgresEventStore? _store;
    private ProjectionHost? _host;
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _dataSource = PostgresDataSource.Create(await PostgresServer.CreateDatabaseAsync("rebuild"));
        await ApplicationSchema.EnsureAsync(_dataSource);
        _keys = new PostgresPersonalDataKeys(_dataSource, TestKeks.Shared);
        _serializer = DomainEvents.Serializer(_keys);
        _store = new PostgresEventStore(_dataSource);
        _host = new ProjectionHost(_store, _serializer, NullLogger<ProjectionHost>.Instance);
        await _host.EnsureSchemaAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _dataSource!.DisposeAsync();

    [Fact]
    public async Task ARebuiltReadModelEqualsTheLiveOneRowForRow()
    {
        // The live projections follow along in batches of all sizes, so registrations of later erased recipients are
        // read while their key exists; the rebuild reads them erased.
        await AppendAsync(History(), catchUpEvery: 97);
        await _host!.CatchUpAsync();
        var live = await ReadModelAsync();
        Assert.True(await EventTypesAsync() >= 40, "the history covers the event types the read models read");
        Assert.All(new[] { "rm_parcels", "rm_parcel_timeline", "rm_compartments", "rm_shops", "rm_couriers", "rm_rounds", "rm_round_stops", "rm_round_parcels" },
            table => Assert.NotEmpty(live[table]));

        // Pages far smaller than the history, so pages are read, decoded and applied side by side, as in a real rebuild.
        var read = await _host.RebuildAsync(options: new ProjectionRebuildOptions { PageSize = 500 });

        Assert.Equal(await CountAsync("select count(*) from es_events"), read);
        Assert.True(read > 4 * 500, $"{read} events: the rebuild read several pages");
        var rebuilt = await ReadModelAsync();
        Assert.Equal(live.Keys, rebuilt.Keys);
        foreach (var (table, rows) in live)
        {
            Assert.True(rows.SequenceEqual(rebuilt[table]), $"{table} differs after the rebuild: {Difference(rows, rebuilt[table])}");
        }

        // The checkpoints moved with the swap: nothing is applied twice.
        foreach (var runner in _host.Runners)
        {
            Assert.Equal(0, await runner.CatchUpAsync());
        }

        Assert.Equal(rebuilt, await ReadModelAsync());
    }

    [Fact]
    public async Task ReadersSeeTheOldModelUntilTheSwapAndNeverAHalfBuiltOne()
    {
        await AppendAsync(History(), catchUpEvery: 0);
        await _host!.CatchUpAsync();
        var expected = await DigestsAsync();
        // Marks the live model, so that a reader can tell the old one from the rebuilt one in (nearly) every table.
        var tables = expected.Keys.ToList();
        await ExecuteAsync(
            """
            update rm_parcels set recipient_name = recipient_name || ' (old)';
            update rm_parcel_timeline set kind = kind || ' (old)';
            update rm_lockers set name = name || ' (old)';
            update rm_compartments set status = status || ' (old)';
            update rm_shops set name = name || ' (old)';
            update rm_couriers set name = name || ' (old)';
            update rm_rounds set status = status || ' (old)';
            update rm_round_stops set status = status || ' (old)';
            update rm_round_parcels set action = action || ' (old)';
            """);
        var old = await DigestsAsync();

        var rebuild = Task.Run(() => _host.RebuildAsync());
        var seen = tables.ToDictionary(t => t, _ => new List<string>());
        var readsDuringRebuild = 0;
        while (!rebuild.IsCompleted)
        {
            foreach (var table in tables)
            {
                seen[table].Add(await DigestAsync(table));
            }

            readsDuringRebuild++;
        }

        await rebuild;
        Assert.True(readsDuringRebuild > 0);
        foreach (var table in tables)
        {
            // Each read sees the whole old table or the whole new one, the old ones first.
            var reads = seen[table];
            var firstNew = reads.FindIndex(d => d == expected[table]);
            Assert.All(firstNew < 0 ? reads : reads[..firstNew], d => Assert.Equal(old[table], d));
            Assert.All(firstNew < 0 ? [] : reads[firstNew..], d => Assert.Equal(expected[table], d));
        }

        Assert.Equal(expected, await DigestsAsync());
    }

    [Fact]
    public async Task EventsAppendedWhileARebuildRunsEndUpInTheSwappedModel()
    {
        var history = History().ToList();
        var early = history.Count * 2 / 3;
        await AppendAsync(history.Take(early), catchUpEvery: 0);
        using var stop = new CancellationTokenSource();
        var live = _host!.Runners.Select(r => r.RunAsync(null, stop.Token)).ToList();

        var rebuild = Task.Run(() => _host.RebuildAsync());
        await AppendAsync(history.Skip(early), catchUpEvery: 0);
        await rebuild;
        await stop.CancelAsync();
        await Task.WhenAll(live);
        await _host.CatchUpAsync();
        var afterwards = await ReadModelAsync();

        // The same log rebuilt again in quiet.
        await _host.RebuildAsync();
        var quiet = await ReadModelAsync();
        foreach (var (table, rows) in quiet)
        {
            Assert.True(rows.SequenceEqual(afterwards[table]), $"{table} differs: {Difference(rows, afterwards[table])}");
        }

        Assert.Equal(await CountAsync("select count(*) from rm_parcels"), await CountAsync("select count(distinct stream_id) from es_events where stream_id like 'parcel-%'"));
    }

    private static IEnumerable<HistoryAppend> History() => new DepartementHistory(HistoryShape.Small, seed: 7).Appends();

    /// <summary>Appends the history through the store as the API does (the expected version of each stream), erasing keys when told.</summary>
    private async Task AppendAsync(IEnumerable<HistoryAppend> appends, int catchUpEvery)
    {
        var n = 0;
        foreach (var append in appends)
        {
            var expected = _versions.GetValueOrDefault(append.Stream);
            var events = append.Events.Select(e => _serializer!.ToEventData(e, append.Metadata)).ToList();
            var result = await _store!.AppendAsync(append.Stream, expected, events);
            _versions[append.Stream] = result.NextExpectedVersion;
            foreach (var erased in append.Events.OfType<RecipientErased>())
            {
                await _keys!.EraseAsync(erased.Person.Value);
            }

            if (catchUpEvery > 0 && ++n % catchUpEvery == 0)
            {
                await _host!.CatchUpAsync();
            }
        }
    }

    /// <summary>Every read-model table's rows as text, sorted.</summary>
    private async Task<Dictionary<string, List<string>>> ReadModelAsync()
    {
        var model = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in await TablesAsync())
        {
            await using var command = _dataSource!.CreateCommand($"select t::text from {table} t order by 1");
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }

            model[table] = rows;
        }

        return model;
    }

    private async Task<Dictionary<string, string>> DigestsAsync()
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in await TablesAsync())
        {
            digests[table] = await DigestAsync(table);
        }

        return digests;
    }

    private async Task<string> DigestAsync(string table)
    {
        await using var command = _dataSource!.CreateCommand($"select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from {table} t");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<IReadOnlyList<string>> TablesAsync()
    {
        await using var command = _dataSource!.CreateCommand(
            "select tablename from pg_tables where schemaname = 'public' and tablename like 'rm\\_%' order by 1");
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private async Task<long> EventTypesAsync() => await CountAsync("select count(distinct event_type) from es_events");

    private async Task<long> CountAsync(string sql)
    {
        await using var command = _dataSource!.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource!.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static string Difference(List<string> expected, List<string> actual) =>
        $"only live: [{string.Join(" ; ", expected.Except(actual).Take(3))}], only rebuilt: [{string.Join(" ; ", actual.Except(expected).Take(3))}]";
}
