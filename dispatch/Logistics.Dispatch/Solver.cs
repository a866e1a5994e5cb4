using Logistics.Dispatch.Construction;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Search;
using Logistics.Dispatch.Stopping;

namespace Logistics.Dispatch;

/// <summary>
/// The one composition root of the optimiser. Runs <see cref="SolverParameters.Threads"/> independent searches
/// (thread t seeded from (seed, t)) until the stop criterion says so, and returns the best, ties going to
/// the lowest thread: with an <see cref="IterationLimit"/> the same seed gives the same solution.
/// </summary>
public static class Solver
{
    public static Solution Solve(ProblemData problem, IStopCriterion stop, int seed = 0, SolverParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(stop);
        parameters ??= SolverParameters.Default;
        var started = parameters.TimeProvider.GetTimestamp();
        var compiled = new Compiled(problem);
        var (placeable, refused) = Unplaceable.Split(compiled);
        var threads = Math.Max(1, parameters.Threads);
        var results = new WorkingSolution[threads];
        var iterations = new long[threads];
        void RunThread(int t)
        {
            var state = unchecked((ulong)seed + ((ulong)t * 0xD1B54A32D192ED03UL));
            var run = new SearchRun(compiled, parameters, stop, started, Rng.SplitMix(ref state), t);
            results[t] = run.Run(placeable);
            iterations[t] = run.Iterations;
        }

        if (threads == 1)
        {
            RunThread(0);
        }
        else
        {
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() => RunThread(t)) { IsBackground = true }).ToArray();
            foreach (var worker in workers)
            {
                worker.Start();
            }

            foreach (var worker in workers)
            {
                worker.Join();
            }
        }

        var best = results[0];
        for (var t = 1; t < threads; t++)
        {
            if (results[t].IsBetterThan(best))
            {
                best = results[t];
            }
        }

        return SolutionBuilder.Build(problem, best, refused, iterations.Sum());
    }
}
