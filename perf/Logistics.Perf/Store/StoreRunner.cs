using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Logistics.EventStore.Embedded;
using Logistics.EventStore.Postgres;
using Npgsql;

namespace Logistics.Perf.Store;

/// <summary>
/// <c>dotnet run -c Release --project perf/Logistics.Perf -- store [--seconds 2] [--rounds 5] [--writers 1,8,32] [--explore]</c>:
/// the store's append throughput against plain SQL on an equivalent table, on a private durable PostgreSQL (real fsync).
/// Progress goes to standard error, the table to standard output; its last line sums up the 32-writer ratios.
/// </summary>
public static class StoreRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        StoreOptions options;
        try
        {
            options = StoreOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var progress = Console.Error;
        // Ctrl-C or a termination ends the current round and still stops the private server and deletes its folder.
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
            // Both sides of every comparison run on the data source production uses (statements prepared after two uses).
            var connection = new NpgsqlConnectionStringBuilder(PostgresDataSource.WithDefaults(server.ConnectionString("perf")))
            {
                // Every writer holds a connection during its append; a few spare for the runner itself.
                MaxPoolSize = options.Writers.Max() + 4,
            };
            await using var dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
            await PostgresSchema.EnsureAsync(dataSource);
            await ReferenceSchema.CreateAsync(dataSource);
            await progress.WriteLineAsync(await DescribeAsync(dataSource, options));

            // Explored only: the same server through a data source that prepares nothing.
            await using var unprepared = NpgsqlDataSource.Create(
                new NpgsqlConnectionStringBuilder(connection.ConnectionString) { MaxAutoPrepare = 0 }.ConnectionString);
            var groups = Variants.Groups(dataSource, new SampleEvents(), options.Explore ? unprepared : null);
            var alternation = new Alternation(options, progress, stop.Token);
            var results = new List<(int, VariantGroup, IReadOnlyDictionary<string, Totals>)>();
            foreach (var writers in options.Writers)
            {
                foreach (var group in groups)
                {
                    await ReferenceSchema.TruncateAsync(dataSource);
                    results.Add((writers, group, await alternation.RunAsync(group, writers)));
                }
            }

            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Measured in {total.Elapsed.TotalSeconds:F0} s."));
            Console.WriteLine();
            Console.Write(ResultTable.Format(results));
            Console.WriteLine(Summary(results));
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

    private static string Summary(IReadOnlyList<(int Writers, VariantGroup Group, IReadOnlyDictionary<string, Totals> Totals)> results)
    {
        var writers = results.Max(r => r.Writers);
        double Rate(string name) => results.Where(r => r.Writers == writers && r.Totals.ContainsKey(name)).Single().Totals[name].EventsPerSecond;
        var append = Rate(Variants.Append);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"at {writers} writers: append/raw-insert {ResultTable.Ratio(append, Rate(Variants.RawInsert)):F2}, " +
            $"append/sql-append {ResultTable.Ratio(append, Rate(Variants.SqlAppend)):F2}, " +
            $"batch/raw-batch {ResultTable.Ratio(Rate(Variants.Batch), Rate(Variants.RawBatch)):F2}");
    }

    private static async Task<string> DescribeAsync(NpgsqlDataSource dataSource, StoreOptions options)
    {
        await using var command = dataSource.CreateCommand(
            "select version(), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('wal_sync_method')");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{reader.GetString(0).Split(',')[0]}; fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, " +
            $"wal_sync_method={reader.GetString(3)}; {Environment.ProcessorCount} cores; Max Auto Prepare={PostgresDataSource.MaxAutoPrepare} on both sides; " +
            $"{options.Rounds} rounds of {options.SecondsPerRound:0.#} s per variant at {string.Join('/', options.Writers)} writers, " +
            $"a new stream every {options.AppendsPerStream} appends.");
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
}
