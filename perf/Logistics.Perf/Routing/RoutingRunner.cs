using System.Diagnostics;
using System.Globalization;
using Logistics.Dispatch;
using Logistics.Dispatch.Checking;
using Logistics.Dispatch.Instances;
using Logistics.Dispatch.Stopping;

namespace Logistics.Perf.Routing;

/// <summary>
/// Solves every instance of a folder against the clock and prints per-instance and per-family tables against
/// the best-known solutions; every figure comes from the independent checker, never from the solver.
/// </summary>
public static class RoutingRunner
{
    public static int Run(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "city":
                return CityRunner.Run(args[1..]);
            case "federation":
                return FederationRunner.Run(args[1..]);
            case "day":
                return DayRunner.Run(args[1..]);
        }

        var options = RoutingOptions.Parse(args);
        var files = Directory.GetFiles(options.Instances).Where(f => !f.EndsWith(".sol", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (options.Only is { } only)
        {
            var names = only.Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase);
            files = files.Where(f => names.Contains(Path.GetFileNameWithoutExtension(f))).ToList();
        }

        var bks = BestKnown.Load(options.Instances);
        if (options.Solutions is { } output)
        {
            Directory.CreateDirectory(output);
        }

        Console.WriteLine($"routing: {files.Count} instances from {options.Instances}, {options.Seconds.ToString(CultureInfo.InvariantCulture)} s each, {options.Threads} thread(s), seed {options.Seed}");
        Console.WriteLine(Row.Header);
        var rows = new List<Row>();
        foreach (var file in files)
        {
            var instance = BenchmarkInstance.Read(file);
            var clock = Stopwatch.StartNew();
            var improvements = new System.Collections.Concurrent.ConcurrentQueue<Improvement>();
            var parameters = options.Parameters with { OnImprovement = improvements.Enqueue };
            var solution = Solver.Solve(instance.Problem, new TimeLimit(TimeSpan.FromSeconds(options.Seconds)), options.Seed, parameters);
            var seconds = clock.Elapsed.TotalSeconds;
            var report = SolutionChecker.Check(instance.Problem, solution.Routes.Select(r => (r.Vehicle, r.Stops)).ToList());
            (int Vehicles, double Distance)? best = bks.TryGetValue(instance.Name, out var known) ? known : null;
            // When a thread first reached the final vehicle count: how much of the budget the fleet really needed.
            var fleetSeconds = improvements.Where(i => i.Unassigned == 0 && i.Vehicles <= report.Vehicles).Select(i => i.Elapsed.TotalSeconds).DefaultIfEmpty(seconds).Min();
            var row = new Row(instance.Name, instance.Family, report.Vehicles, report.Distance, best, seconds, report.Feasible, solution.Iterations, fleetSeconds);
            rows.Add(row);
            Console.WriteLine(row.Format());
            foreach (var violation in report.Violations.Take(3))
            {
                Console.WriteLine($"    ! {violation.Message}");
            }

            if (options.Solutions is { } folder)
            {
                File.WriteAllText(Path.Combine(folder, instance.Name + ".sol"), SintefSolutionFile.Format(instance, solution, DateOnly.FromDateTime(DateTime.UtcNow)));
            }
        }

        Tables.PrintFamilies(rows);
        Tables.PrintSummary(rows);
        return rows.All(r => r.Feasible) ? 0 : 1;
    }
}
