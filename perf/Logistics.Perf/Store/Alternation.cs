using System.Diagnostics;
using System.Globalization;

namespace Logistics.Perf.Store;

/// <summary>Events appended and time spent by one variant at one writer count, summed over its rounds.</summary>
internal sealed class Totals
{
    public long Events { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public double EventsPerSecond => Elapsed > TimeSpan.Zero ? Events / Elapsed.TotalSeconds : 0;

    public void Add(long events, TimeSpan elapsed)
    {
        Events += events;
        Elapsed += elapsed;
    }
}

/// <summary>
/// Runs a group's variants in short alternating rounds (A B C, then C B A, ...) and sums them: the disk's fsync time
/// drifts by an order of magnitude within minutes, and alternating spreads the drift over every variant alike.
/// </summary>
internal sealed class Alternation(StoreOptions options, TextWriter progress, CancellationToken cancellation)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(0.5);
    private int _streamPrefix;

    public async Task<IReadOnlyDictionary<string, Totals>> RunAsync(VariantGroup group, int writers)
    {
        var totals = group.Variants.ToDictionary(v => v.Name, _ => new Totals(), StringComparer.Ordinal);
        // Opens the pool's connections, compiles the code and caches the functions' plans before anything counts.
        foreach (var variant in group.Variants)
        {
            await RoundAsync(variant, writers, WarmUp);
        }

        for (var round = 1; round <= options.Rounds; round++)
        {
            var order = round % 2 == 1 ? group.Variants : group.Variants.Reverse();
            var line = new List<string>();
            foreach (var variant in order)
            {
                var (events, elapsed) = await RoundAsync(variant, writers, options.Round);
                totals[variant.Name].Add(events, elapsed);
                line.Add(string.Create(CultureInfo.InvariantCulture, $"{variant.Name} {events / elapsed.TotalSeconds:N0}"));
            }

            progress.WriteLine(string.Create(
                CultureInfo.InvariantCulture, $"  {writers,2} writers, {group.Title}, round {round}/{options.Rounds}: {string.Join(" | ", line)} events/s"));
        }

        return totals;
    }

    private async Task<(long Events, TimeSpan Elapsed)> RoundAsync(AppendVariant variant, int writers, TimeSpan duration)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"parcel-{variant.Name}-{Interlocked.Increment(ref _streamPrefix):D5}");
        var stopwatch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var stream = new WriterStream(string.Create(CultureInfo.InvariantCulture, $"{prefix}-{w:D2}"), options.AppendsPerStream);
            long events = 0;
            while (stopwatch.Elapsed < duration && !cancellation.IsCancellationRequested)
            {
                await variant.AppendAsync(stream);
                events += variant.EventsPerAppend;
            }

            return events;
        })));
        cancellation.ThrowIfCancellationRequested();
        return (counts.Sum(), stopwatch.Elapsed);
    }
}
