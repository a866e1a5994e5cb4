using System.Globalization;

namespace Logistics.Perf.LockerBoard;

/// <summary>
/// <c>locker</c>: code entry → relay write on the simulated board (p50/p95/p99; the goal is p95 ≤ 300 ms on a Pi
/// class board), and the time the real core takes to drain a backlog of 10,000 board events after a reconnect
/// (goal ≤ 60 s). Options: <c>--codes N</c> (300), <c>--backlog N</c> (10000).
/// </summary>
internal static class LockerRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var codes = Option(args, "--codes", 300);
        var backlog = Option(args, "--backlog", 10_000);
        var folder = Path.Combine(Path.GetTempPath(), "logistics-perf-locker-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var latencies = CodeToRelay.Measure(Path.Combine(folder, "relay"), codes).Order().ToList();
            double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"code-to-relay over {latencies.Count} codes: p50 {Percentile(0.50):F2} ms, p95 {Percentile(0.95):F2} ms, p99 {Percentile(0.99):F2} ms, max {latencies[^1]:F2} ms"));

            var drained = await BacklogDrain.MeasureAsync(folder, backlog, Console.Error);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backlog of {backlog} events drained in {drained.TotalSeconds:F1} s ({backlog / drained.TotalSeconds:F0} events/s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"code-to-relay p95 {Percentile(0.95):F2} ms, backlog {backlog} drained in {drained.TotalSeconds:F1} s"));
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
