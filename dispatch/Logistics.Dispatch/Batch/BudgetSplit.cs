namespace Logistics.Dispatch.Batch;

/// <summary>
/// Splits a wall-clock budget over many problems solved on a few threads: each gets thread time in proportion to
/// its size (requests), from the thread time there is (wall × threads, less a reserve for building and checking),
/// and never less than a floor. Solved largest first, the threads finish together (longest processing time first).
/// </summary>
public static class BudgetSplit
{
    public static TimeSpan[] BySize(IReadOnlyList<int> sizes, TimeSpan wall, int threads, double reserve = 0.15, TimeSpan? floor = null)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var least = floor ?? TimeSpan.FromMilliseconds(200);
        var total = wall.TotalSeconds * Math.Max(1, threads) * (1 - Math.Clamp(reserve, 0, 0.9));
        var sum = sizes.Sum(s => (double)Math.Max(1, s));
        return sizes.Select(s => TimeSpan.FromSeconds(Math.Max(least.TotalSeconds, sum == 0 ? 0 : total * Math.Max(1, s) / sum))).ToArray();
    }
}
