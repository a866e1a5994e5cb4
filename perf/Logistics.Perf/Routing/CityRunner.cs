using System.Diagnostics;
using System.Globalization;
using Logistics.Dispatch;
using Logistics.Dispatch.Checking;
using Logistics.Dispatch.City;
using Logistics.Dispatch.Stopping;

namespace Logistics.Perf.Routing;

/// <summary>
/// `routing city --parcels 2000 --couriers 50 --seconds 60 [--threads 2] [--seed 1]`: generates a town, solves it
/// under the priced objective, and prints the time to the first plan that places every parcel and the cost over time.
/// </summary>
public static class CityRunner
{
    public static int Run(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }

        double Get(string key, double fallback) => map.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var settings = new CitySettings((int)Get("parcels", 2000), (int)Get("couriers", 50), (int)Get("seed", 1));
        var seconds = Get("seconds", 60);
        var threads = (int)Get("threads", 2);
        var clock = Stopwatch.StartNew();
        var city = CityGenerator.Generate(settings);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"routing city: {settings.Parcels} parcels ({city.ParcelsToHomes} to homes), {city.Shops} shops, {city.Lockers} lockers, {city.Homes} homes, {settings.Couriers} couriers; generated in {clock.Elapsed.TotalSeconds:F2} s; {seconds} s, {threads} thread(s)"));
        var gate = new Lock();
        var best = (Unassigned: int.MaxValue, Cost: double.MaxValue);
        TimeSpan? firstComplete = null;
        var nextPrint = TimeSpan.Zero;
        var parameters = new SolverParameters
        {
            Threads = threads,
            OnImprovement = improvement =>
            {
                lock (gate)
                {
                    if ((improvement.Unassigned, improvement.Cost).CompareTo(best) >= 0)
                    {
                        return;
                    }

                    best = (improvement.Unassigned, improvement.Cost);
                    if (improvement.Unassigned == 0 && firstComplete is null)
                    {
                        firstComplete = improvement.Elapsed;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  first plan placing every parcel after {improvement.Elapsed.TotalSeconds:F2} s: cost {improvement.Cost:F2}, {improvement.Vehicles} couriers"));
                    }

                    if (improvement.Elapsed >= nextPrint)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  {improvement.Elapsed.TotalSeconds,7:F2} s  cost {improvement.Cost,10:F2}  couriers {improvement.Vehicles,3}  unplaced {improvement.Unassigned,4}  iterations {improvement.Iterations,8}"));
                        nextPrint = improvement.Elapsed + TimeSpan.FromSeconds(Math.Max(1, seconds / 20));
                    }
                }
            },
        };
        var solution = Solver.Solve(city.Problem, new TimeLimit(TimeSpan.FromSeconds(seconds)), settings.Seed, parameters);
        var report = SolutionChecker.Check(city.Problem, solution);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"final: cost {solution.Cost:F2}, {solution.VehiclesUsed} couriers, {solution.Distance / 1000:F1} km, {solution.Unassigned.Count} unplaced, {solution.Iterations} iterations, feasible by the checker: {(report.Feasible ? "yes" : "NO")}, first complete plan {(firstComplete is { } f ? f.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s" : "never")}"));
        foreach (var group in solution.Unassigned.GroupBy(u => u.Reason))
        {
            Console.WriteLine($"  unplaced because {group.Key}: {group.Count()}");
        }

        return report.Feasible ? 0 : 1;
    }
}
