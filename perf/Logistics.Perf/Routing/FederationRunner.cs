using System.Diagnostics;
using System.Globalization;
using Logistics.Dispatch.Batch;
using Logistics.Dispatch.Checking;
using Logistics.Dispatch.City;

namespace Logistics.Perf.Routing;

/// <summary>
/// `routing federation [--networks 46] [--min 20] [--max 100] [--seconds 60] [--threads 2] [--seed 1] [--iterations N]`:
/// generates a département's networks (one town each, 20–100 parcels), plans them all in parallel within the budget on
/// bounded threads (budgets by size, largest first) and prints each network's timing and the total. This is the batch
/// the core's planner runs at a cut-off (<c>RoundPlanner.Batch.cs</c>: every network's problems in one
/// <see cref="BatchSolver.SolveAll"/>); <c>--iterations</c> caps each solve as the planner does
/// (<c>PlanningOptions.SolverIterations</c>, 20,000), e.g. <c>--seconds 2 --threads 1 --iterations 20000</c> for its defaults.
/// </summary>
public static class FederationRunner
{
    public static int Run(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }

        double Get(string key, double fallback) => map.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var (networks, least, most) = ((int)Get("networks", 46), (int)Get("min", 20), (int)Get("max", 100));
        var (seconds, threads, seed) = (Get("seconds", 60), (int)Get("threads", 2), (int)Get("seed", 1));
        long? iterations = map.ContainsKey("iterations") ? (long)Get("iterations", 0) : null;
        var total = Stopwatch.StartNew();
        var towns = Enumerable.Range(0, networks).Select(n =>
        {
            // Sizes spread evenly over the range, in a seed-shuffled order; couriers in proportion.
            var parcels = least + (networks == 1 ? 0 : (int)Math.Round((most - least) * (double)((n * 17) % networks) / (networks - 1)));
            return CityGenerator.Generate(new CitySettings(parcels, Math.Max(2, (parcels + 7) / 8), seed + n, RadiusMetres: 2500));
        }).ToArray();
        var generated = total.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"routing federation: {networks} networks of {least}-{most} parcels ({towns.Sum(t => t.Problem.Requests.Count)} parcels), {seconds} s on {threads} thread(s){(iterations is { } cap ? $", at most {cap} iterations a solve" : "")}, generated in {generated.TotalSeconds:F2} s"));
        var results = BatchSolver.SolveAll(towns.Select(t => t.Problem).ToList(), TimeSpan.FromSeconds(seconds) - generated, threads, seed, iterations: iterations);
        Console.WriteLine("network  parcels  couriers  budget-s  began-s  solve-s  used  unplaced        cost  feasible");
        var feasible = 0;
        foreach (var result in results)
        {
            var problem = towns[result.Index].Problem;
            var report = SolutionChecker.Check(problem, result.Solution);
            feasible += report.Feasible ? 1 : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Index,7} {problem.Requests.Count,8} {problem.Vehicles.Count,9} {result.Budget.TotalSeconds,9:F2} {result.Began.TotalSeconds,8:F2} {result.Elapsed.TotalSeconds,8:F2} {result.Solution.VehiclesUsed,5} {result.Solution.Unassigned.Count,9} {result.Solution.Cost,11:F2} {(report.Feasible ? "yes" : "NO"),9}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {networks} networks planned in {total.Elapsed.TotalSeconds:F2} s wall (generation {generated.TotalSeconds:F2} s, solves ended by {results.Max(r => (r.Began + r.Elapsed).TotalSeconds) + generated.TotalSeconds:F2} s), solve time summed {results.Sum(r => r.Elapsed.TotalSeconds):F1} s, {results.Sum(r => r.Solution.Unassigned.Count)} parcels unplaced, feasible {feasible}/{networks}"));
        return feasible == networks && total.Elapsed <= TimeSpan.FromSeconds(seconds) ? 0 : 1;
    }
}
