using Logistics.Dispatch.Model;
using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Tests;

/// <summary>Tiny named problems on a plane; travel time = distance.</summary>
internal static class Fixtures
{
    /// <summary>
    /// Depot at (0,0); request 0 from (10,0) to (20,0), request 1 from (0,10) to (0,20); wide windows;
    /// two vehicles of capacity 10; stops 0..3 = pickup 0, delivery 0, pickup 1, delivery 1.
    /// </summary>
    public static ProblemData FourStops(int capacity = 10, double horizon = 1000, int vehicles = 2, int demand = 5) =>
        new(
            new EuclideanTravelMatrix([(0, 0), (10, 0), (20, 0), (0, 10), (0, 20)]),
            [
                new Stop(1, new TimeWindow(0, horizon), 1),
                new Stop(2, new TimeWindow(0, horizon), 1),
                new Stop(3, new TimeWindow(0, horizon), 1),
                new Stop(4, new TimeWindow(0, horizon), 1),
            ],
            [new Request(0, 1, demand), new Request(2, 3, demand)],
            Enumerable.Range(0, vehicles).Select(_ => new Vehicle(0, 0, new TimeWindow(0, horizon), capacity)).ToList());

    /// <summary>Five depot deliveries around the depot (a Solomon-style problem) for one vehicle of capacity 10.</summary>
    public static ProblemData FiveDepotDeliveries() =>
        new(
            new EuclideanTravelMatrix([(0, 0), (5, 0), (5, 5), (0, 5), (-5, 5), (-5, 0)]),
            Enumerable.Range(1, 5).Select(l => new Stop(l, new TimeWindow(0, 200), 0)).ToList(),
            Enumerable.Range(0, 5).Select(s => new Request(null, s, 2)).ToList(),
            [new Vehicle(0, 0, new TimeWindow(0, 200), 10)]);

    /// <summary>The shared benchmarks folder: a sibling of the repository root (../shared/benchmarks), found by walking up.</summary>
    public static string Benchmarks()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "benchmarks");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("No shared/benchmarks beside the repository.");
    }
}
