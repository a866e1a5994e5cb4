using System.Globalization;
using Logistics.Dispatch;
using Logistics.Dispatch.Checking;
using Logistics.Dispatch.City;
using Logistics.Dispatch.Stopping;

namespace Logistics.Perf.Routing;

/// <summary>
/// `routing day [--parcels 200] [--couriers 8] [--every 15] [--seconds 1] [--move-cost 2] [--max-changes 4] [--seed 1]`:
/// a simulated day in a generated town. Parcels become known through the day (8:00–16:00); every `--every` minutes
/// the couriers' plan is redone from where they are (stops whose service began are done, a parcel picked up rides
/// on with its courier, the stop a courier is heading to is fixed) twice: as a stable re-plan of the current plan,
/// and from scratch. The couriers follow the stable plan. Each line says how many parcels each re-plan moved from one
/// courier to another, and what the stable plan costs against the one from scratch (both checked).
/// </summary>
public static class DayRunner
{
    private const double Hour = 3600;

    public static int Run(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }

        double Get(string key, double fallback) => map.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var (parcels, couriers, seed) = ((int)Get("parcels", 200), (int)Get("couriers", 8), (int)Get("seed", 1));
        var (every, seconds, moveCost, maxChanges) = (Get("every", 15) * 60, Get("seconds", 1), Get("move-cost", 2), (int)Get("max-changes", 4));
        var city = CityGenerator.Generate(new CitySettings(parcels, couriers, seed, 3000)).Problem;
        var day = new Day(city, seed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"routing day: {parcels} parcels known from 8:00 to 16:00, {couriers} couriers, a re-plan every {every / 60} min ({seconds} s each), move cost {moveCost}, at most {maxChanges} changes to a started round, seed {seed}"));
        Console.WriteLine(" time  known  on-board  stable-moved  scratch-moved  stable-cost  scratch-cost  diff%  unplaced(stable/scratch)  feasible");
        var rows = new List<(int StableMoves, int ScratchMoves, double Stable, double Scratch, bool SamePlaced)>();
        var stop = new FirstOf(new TimeLimit(TimeSpan.FromSeconds(seconds)), new IterationLimit(20_000));
        for (var now = 8 * Hour; now <= 20 * Hour && !day.Finished(now); now += every)
        {
            day.Advance(now);
            var state = day.Problem(now, moveCost, maxChanges);
            if (state.Problem.Requests.Count == 0)
            {
                continue;
            }

            var stable = Solver.Solve(state.Problem, stop, seed, new SolverParameters { Threads = 1 });
            var scratchProblem = state.Scratch;
            var scratch = Solver.Solve(scratchProblem, stop, seed, new SolverParameters { Threads = 1 });
            var (stableReport, scratchReport) = (SolutionChecker.Check(state.Problem, stable), SolutionChecker.Check(scratchProblem, scratch));
            var feasible = stableReport.Feasible && scratchReport.Feasible;
            foreach (var violation in stableReport.Violations.Concat(scratchReport.Violations).Take(3))
            {
                Console.WriteLine($"    ! {violation.Message}");
            }

            var (stableMoves, scratchMoves) = (state.Moved(stable), state.Moved(scratch));
            var stableCost = stable.Cost - (moveCost * stableMoves);
            var samePlaced = stable.Unassigned.Count == scratch.Unassigned.Count && scratch.Cost > 0;
            rows.Add((stableMoves, scratchMoves, stableCost, scratch.Cost, samePlaced));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{TimeSpan.FromSeconds(now):hh\\:mm} {state.Problem.Requests.Count,6} {state.OnBoard,9} {stableMoves,13} {scratchMoves,14} {stableCost,12:F2} {scratch.Cost,13:F2} {(samePlaced ? (100 * (stableCost - scratch.Cost) / scratch.Cost).ToString("F2", CultureInfo.InvariantCulture) : "-"),6} {stable.Unassigned.Count,14}/{scratch.Unassigned.Count,-10} {(feasible ? "yes" : "NO"),9}"));
            day.Follow(state, stable);
        }

        var compared = rows.Where(r => r.SamePlaced).Select(r => 100 * (r.Stable - r.Scratch) / r.Scratch).DefaultIfEmpty(0).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary: {rows.Count} re-plans; parcels moved between couriers per re-plan: stable {rows.Average(r => r.StableMoves):F2} (max {rows.Max(r => r.StableMoves)}), from scratch {rows.Average(r => r.ScratchMoves):F2} (max {rows.Max(r => r.ScratchMoves)}); stable plan cost against from scratch, over the {rows.Count(r => r.SamePlaced)} re-plans placing as many parcels: mean {compared.Average():+0.00;-0.00} %, worst {compared.Max():+0.00;-0.00} %; delivered {day.Delivered}/{parcels}"));
        return 0;
    }
}
