using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Logistics.Application.Planning;
using Logistics.Application.Projections;
using Logistics.Application.Streams;
using Logistics.EventStore;
using Logistics.EventStore.Embedded;
using Logistics.EventStore.PersonalData;
using Logistics.EventStore.Postgres;
using Logistics.EventStore.Subscriptions;
using Logistics.Testing.History;
using Npgsql;

namespace Logistics.Perf.Rebuild;

/// <summary>
/// <c>dotnet run -c Release --project perf/Logistics.Perf -- rebuild [--days 12] [--parcels-per-day 20000] [--page-size 5000] [--together-only] [--together-pages 5000,20000]</c>:
/// fills a private durable PostgreSQL with a generated département history (<see cref="DepartementHistory"/>), then
/// rebuilds each read model from position 0 alone, then all of them together, beside raw reads of the same events
/// (a COPY of the log before and after each rebuild, the floor it is compared with; the store's page read once).
/// Progress goes to standard error, the table to standard output; its last line sums up the rebuild of all together.
/// </summary>
public static class RebuildRunner
{
    // The history's keys are written unwrapped (as before keys were wrapped), which any KEK reads: one per run.
    private static readonly KeyEncryptionKeys Keks = KeyEncryptionKeys.Parse(KeyEncryptionKeys.NewBase64());

    public static async Task<int> RunAsync(string[] args)
    {
        int days = 12, parcelsPerDay = 20_000, pageSize = ProjectionRebuildOptions.DefaultPageSize;
        var togetherOnly = false;
        int[]? togetherPages = null;
        try
        {
            for (var i = 0; i < args.Length; i += 2)
            {
                if (args[i] == "--together-only")
                {
                    togetherOnly = true;
                    i--;
                    continue;
                }

                if (args[i] == "--together-pages" && i + 1 < args.Length)
                {
                    togetherPages = [.. args[i + 1].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
                    continue;
                }

                var value = i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : throw new ArgumentException($"{args[i]} needs a value.");
                _ = args[i] switch
                {
                    "--days" => days = value,
                    "--parcels-per-day" => parcelsPerDay = value,
                    "--page-size" => pageSize = value,
                    _ => throw new ArgumentException($"Unknown option '{args[i]}'. Options: --days <n> --parcels-per-day <n> --page-size <events> --together-only --together-pages <events>,<events>,…"),
                };
            }

            if (pageSize < 1 || togetherPages?.Any(p => p < 1) == true)
            {
                throw new ArgumentException("A page holds at least 1 event.");
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var progress = Console.Error;
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var folder = Path.Combine(Path.GetTempPath(), "logistics-perf-" + Guid.NewGuid().ToString("N")[..8]);
        var total = Stopwatch.StartNew();
        try
        {
            await using var server = await EmbeddedPostgres.StartAsync(
                folder, new EmbeddedPostgresOptions { Durable = true, Log = m => progress.WriteLine(m) });
            await server.CreateDatabaseAsync("perf");
            await using var dataSource = PostgresDataSource.Create(server.ConnectionString("perf"));
            await PostgresSchema.EnsureAsync(dataSource, stop.Token);

            var shape = HistoryShape.Departement(days) with { ParcelsPerDay = parcelsPerDay };
            await progress.WriteLineAsync(
                $"Filling: {shape.Lockers} lockers, {shape.Shops} shops, {shape.Couriers} couriers, {shape.ParcelsPerDay:N0} parcels a day over {shape.Days - 1} days.");
            var fill = Stopwatch.StartNew();
            var events = await HistoryFill.FillAsync(dataSource, DomainEvents.Serializer, new DepartementHistory(shape).Appends(), progress, stop.Token);
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Filled {events:N0} events in {fill.Elapsed.TotalSeconds:F0} s."));
            await progress.WriteLineAsync(await DescribeAsync(dataSource));

            var serializer = DomainEvents.Serializer(new PostgresPersonalDataKeys(dataSource, Keks));
            var store = new PostgresEventStore(dataSource);
            IProjection[] projections = [new ParcelsProjection(), new TimelineProjection(), new LockersProjection(), new DirectoryProjection(), new RoundsProjection()];
            foreach (var projection in projections)
            {
                await new ProjectionRunner(store, serializer, projection).EnsureSchemaAsync(stop.Token);
            }

            // A first page read warms the caches, so that no raw read pays for the disk alone; decoding the first
            // 100,000 events compiles the JSON readers of every event type, as a server that has been following the
            // log has them, so that the first rebuild measured does not pay for the JIT alone.
            await RawRead.PagesAsync(dataSource, pageSize, stop.Token);
            var warm = DomainEvents.Serializer(new PostgresPersonalDataKeys(dataSource, Keks));
            var first = await store.ReadAllAsync(GlobalPosition.Start, 100_000, stop.Token);
            await warm.PreloadKeysAsync(first, stop.Token);
            foreach (var e in first.Where(e => warm.IsKnown(e.EventType)))
            {
                _ = warm.Deserialize(e);
            }

            var pages = await RawRead.PagesAsync(dataSource, pageSize, stop.Token);

            // The machine's speed drifts (it is shared): a raw COPY read runs before the first rebuild and after each one,
            // and each rebuild is compared with the mean of the two reads around it.
            var raws = new List<(long Events, TimeSpan Elapsed)>();
            async Task<double> RawAsync()
            {
                var read = await RawRead.CopyAsync(dataSource, stop.Token);
                raws.Add(read);
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  raw COPY read: {read.Events / read.Elapsed.TotalSeconds:N0} events/s"));
                return read.Events / read.Elapsed.TotalSeconds;
            }

            var rows = new List<Row>();
            var before = await RawAsync();
            rows.Add(new Row($"raw read: pages of {pageSize:N0}", pages.Events, pages.Elapsed, before, null, null));
            RebuildOutcome? all = null;
            // Each alone, then all together (once per page size asked for, to compare them in one sitting).
            var runs = (togetherOnly ? [] : projections.Select(p => (Set: new[] { p }, Page: pageSize)))
                .Concat((togetherPages ?? [pageSize]).Select(page => (Set: projections, Page: page)));
            foreach (var (set, page) in runs)
            {
                var gc = GcMark.Now();
                // Fresh keys each time: every rebuild fetches what it needs, as after a restart.
                var rebuilt = await new ProjectionRebuild(
                    store, DomainEvents.Serializer(new PostgresPersonalDataKeys(dataSource, Keks)), set, new ProjectionRebuildOptions { PageSize = page })
                    .RunAsync(stop.Token);
                var collected = GcMark.Now() - gc;
                var after = await RawAsync();
                // A rebuild covers the whole log; it reads only the events of the types its builders read.
                rows.Add(set.Length == 1
                    ? new Row(set[0].Name, events, rebuilt.Elapsed, (before + after) / 2, rebuilt, await RowsAsync(dataSource, set[0].Name, stop.Token)) { Gc = collected }
                    : new Row(togetherPages is null ? $"all {set.Length} together" : $"all {set.Length}, pages {page:N0}", events, rebuilt.Elapsed, (before + after) / 2, rebuilt, null) { Gc = collected });
                await progress.WriteLineAsync(rows[^1].Format());
                before = after;
                all = rebuilt;
            }

            var rawEvents = raws.Sum(r => r.Events);
            var rawTime = TimeSpan.FromTicks(raws.Sum(r => r.Elapsed.Ticks));
            var raw = rawEvents / rawTime.TotalSeconds;
            rows.Insert(0, new Row($"raw read: COPY, {raws.Count} times", rawEvents, rawTime, raw, null, null));
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Measured in {total.Elapsed.TotalSeconds:F0} s."));

            Console.WriteLine();
            Console.WriteLine($"{"read model",-26} {"events",12} {"seconds",8} {"events/s",10}  {"of raw",6}  {"pages s",7}  {"decode s",8}  {"gc s",5}  {"gen2",4}  {"read",9}  rows written");
            foreach (var row in rows)
            {
                Console.WriteLine(row.Format());
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"rebuild: {events:N0} events, {projections.Length} projections, {events / all!.Elapsed.TotalSeconds:N0} events/s (raw read {raw:N0})"));
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await progress.WriteLineAsync("Stopped before the end: no table.");
            return 130;
        }
        finally
        {
            TryDelete(folder);
        }
    }

    /// <summary>How many rows each of a read model's tables holds after its rebuild, e.g. <c>rm_parcels 200,000</c>.</summary>
    private static async Task<string> RowsAsync(NpgsqlDataSource dataSource, string projection, CancellationToken cancellationToken)
    {
        var tables = projection switch
        {
            "parcels" => new[] { "rm_parcels" },
            "parcel-timeline" => ["rm_parcel_timeline"],
            "lockers" => ["rm_lockers", "rm_compartments", "rm_locker_alarms"],
            "directory" => ["rm_shops", "rm_couriers"],
            "rounds" => ["rm_rounds", "rm_round_stops", "rm_round_parcels"],
            _ => [],
        };
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var count = dataSource.CreateCommand($"select count(*) from {table}");
            text.Append(CultureInfo.InvariantCulture, $"{(text.Length > 0 ? ", " : "")}{table} {(long)(await count.ExecuteScalarAsync(cancellationToken))!:N0}");
        }

        return text.ToString();
    }

    private static async Task<string> DescribeAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "select version(), current_setting('fsync'), current_setting('shared_buffers'), pg_size_pretty(pg_total_relation_size('es_events'))");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{reader.GetString(0).Split(',')[0]}; fsync={reader.GetString(1)}, shared_buffers={reader.GetString(2)}; es_events {reader.GetString(3)}; " +
            $"{Environment.ProcessorCount} cores.");
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the measurement already printed.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// One line of the table: "events" the log's events (a rebuild covers them all), "of raw" compares it with the raw
    /// COPY reads around it, "pages s" is how long the rebuild waited for the next page of the log, "decode s" how long it
    /// decoded events, "gc s" how long this process was paused by its garbage collector meanwhile, "gen2" how many full
    /// collections it made, "read" how many events it read (those of the types its builders read).
    /// </summary>
    private sealed record Row(string Name, long Events, TimeSpan Elapsed, double Floor, RebuildOutcome? Outcome, string? Rows)
    {
        public GcMark? Gc { get; init; }

        public string Format()
        {
            var rate = Events / Elapsed.TotalSeconds;
            var reading = Outcome is null ? "" : Outcome.Reading.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
            var decoding = Outcome is null ? "" : Outcome.Decoding.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
            var read = Outcome is null ? "" : Outcome.Events.ToString("N0", CultureInfo.InvariantCulture);
            var paused = Gc is null ? "" : Gc.Paused.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
            var full = Gc is null ? "" : Gc.Gen2.ToString(CultureInfo.InvariantCulture);
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{Name,-26} {Events,12:N0} {Elapsed.TotalSeconds,8:F1} {rate,10:N0}  {rate / Floor,6:F2}  {reading,7}  {decoding,8}  {paused,5}  {full,4}  {read,9}  {Rows}").TrimEnd();
        }
    }

    /// <summary>The process's garbage collection so far: time paused and full collections; two marks subtract.</summary>
    private sealed record GcMark(TimeSpan Paused, int Gen2)
    {
        public static GcMark Now() => new(GC.GetTotalPauseDuration(), GC.CollectionCount(2));

        public static GcMark operator -(GcMark after, GcMark before) => new(after.Paused - before.Paused, after.Gen2 - before.Gen2);
    }
}
