using System.Globalization;
using Logistics.Dispatch;

namespace Logistics.Perf.Routing;

/// <summary>Command line of the routing runner: --instances, --seconds (fractions allowed), --threads, --solutions, --seed, --only; solver knobs --fleet-share, --fleet-patience, --ls-interval, --route-ruin, --stagnation, --growth, --t0, --t1, --removed.</summary>
internal sealed record RoutingOptions(string Instances, double Seconds, int Threads, string? Solutions, int Seed, string? Only, SolverParameters Parameters)
{
    public static RoutingOptions Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected an option, got '{args[i]}'.");
            }

            map[args[i][2..]] = args[i + 1];
        }

        string Get(string key, string fallback) => map.TryGetValue(key, out var value) ? value : fallback;
        return new RoutingOptions(
            Get("instances", "../shared/benchmarks/li-lim-100"),
            double.Parse(Get("seconds", "10"), CultureInfo.InvariantCulture),
            int.Parse(Get("threads", "2"), CultureInfo.InvariantCulture),
            map.GetValueOrDefault("solutions"),
            int.Parse(Get("seed", "1"), CultureInfo.InvariantCulture),
            map.GetValueOrDefault("only"),
            new SolverParameters
            {
                Threads = int.Parse(Get("threads", "2"), CultureInfo.InvariantCulture),
                FleetMinimisationShare = double.Parse(Get("fleet-share", SolverParameters.Default.FleetMinimisationShare.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
                StartTemperature = double.Parse(Get("t0", SolverParameters.Default.StartTemperature.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
                EndTemperature = double.Parse(Get("t1", SolverParameters.Default.EndTemperature.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
                AverageRemoved = double.Parse(Get("removed", SolverParameters.Default.AverageRemoved.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
                LocalSearchInterval = int.Parse(Get("ls-interval", SolverParameters.Default.LocalSearchInterval.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
                FleetPatience = double.Parse(Get("fleet-patience", SolverParameters.Default.FleetPatience.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
                RouteRuinRate = double.Parse(Get("route-ruin", SolverParameters.Default.RouteRuinRate.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
                StagnationIterations = long.Parse(Get("stagnation", SolverParameters.Default.StagnationIterations.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
                MaxNeighbourhoodGrowth = double.Parse(Get("growth", SolverParameters.Default.MaxNeighbourhoodGrowth.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
            });
    }
}
