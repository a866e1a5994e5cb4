using System.Globalization;

namespace Logistics.Perf.LockerBoard;

/// <summary>
/// <c>locker</c>: code entry → relay write on the simulated board (p50/p95/p99; the goal is p95 ≤ 300 ms on a Pi
/// class board), the time the real core takes to drain one board's backlog of 10,000 events after a reconnect (goal
/// ≤ 5 s), and 300 boards of 100 events each reconnecting at once (goal ≤ 10 s, nothing lost or doubled). Options:
/// <c>--codes N</c> (300), <c>--backlog N</c> (10000), <c>--boards N</c> (300), <c>--board-events N</c> (100).
/// </summary>
internal static class LockerRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var codes = Option(args, "--codes", 300);
        var backlog = Option(args, "--backlog", 10_000);
        var boards = Option(args, "--boards", 300);
        var boardEvents = Option(args, "--board-events", 100);
        var folder = Path.Combine(Path.GetTempPath(), "logistics-perf-locker-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var latencies = CodeToRelay.Measure(Path.Combine(folder, "relay"), codes).Order().ToList();
            double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"code-to-relay over {latencies.Count} codes: p50 {Percentile(0.50):F2} ms, p95 {Percentile(0.95):F2} ms, p99 {Percentile(0.99):F2} ms, max {latencies[^1]:F2} ms"));

            var drained = await BacklogDrain.MeasureAsync(Path.Combine(folder, "backlog"), backlog, Console.Error);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backlog of {backlog} events drained in {drained.TotalSeconds:F1} s ({backlog / drained.TotalSeconds:F0} events/s)"));

            var reconnect = await Reconnect.MeasureAsync(Path.Combine(folder, "reconnect"), boards, boardEvents, Console.Error);
            var all = reconnect.Boards * reconnect.Events;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{reconnect.Boards} boards of {reconnect.Events} events reconnecting at once drained in {reconnect.Drained.TotalSeconds:F1} s ({all / reconnect.Drained.TotalSeconds:F0} events/s): {reconnect.Lost} lost, {reconnect.Doubled} doubled"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"code-to-relay p95 {Percentile(0.95):F2} ms, backlog {backlog} drained in {drained.TotalSeconds:F1} s, {reconnect.Boards} boards in {reconnect.Drained.TotalSeconds:F1} s"));
            return reconnect.Lost == 0 && reconnect.Doubled == 0 ? 0 : 1;
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
