using System.Collections.Concurrent;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Stopping;

namespace Logistics.Dispatch.Batch;

/// <summary>
/// Plans many independent problems (one per network of a federation) on a bounded number of threads within one
/// wall-clock budget: budgets by size (<see cref="BudgetSplit"/>), largest first, one search thread each, and no
/// solve runs past the common deadline. Each result is what <see cref="Solver.Solve"/> returns for that problem.
/// With <c>iterations</c>, each solve also stops there: a small problem then ends long before its budget, and the same
/// input gives the same plans whatever the machine's speed (as a planner needs that re-plans on every change).
/// </summary>
public static class BatchSolver
{
    public static BatchResult[] SolveAll(IReadOnlyList<ProblemData> problems, TimeSpan wall, int threads, int seed = 0, SolverParameters? parameters = null, long? iterations = null)
    {
        ArgumentNullException.ThrowIfNull(problems);
        parameters ??= SolverParameters.Default;
        var clock = parameters.TimeProvider;
        var started = clock.GetTimestamp();
        var budgets = BudgetSplit.BySize(problems.Select(p => p.Requests.Count).ToList(), wall, threads);
        var order = new ConcurrentQueue<int>(Enumerable.Range(0, problems.Count).OrderByDescending(i => problems[i].Requests.Count).ThenBy(i => i));
        var results = new BatchResult[problems.Count];
        var single = parameters with { Threads = 1, OnImprovement = null };
        void Work()
        {
            while (order.TryDequeue(out var i))
            {
                var begun = clock.GetElapsedTime(started);
                // Never past the common deadline, whatever the share says (the last solves absorb an overrun).
                var left = wall - begun;
                var budget = left < budgets[i] ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : budgets[i];
                IStopCriterion stop = iterations is { } cap ? new FirstOf(new TimeLimit(budget), new IterationLimit(cap)) : new TimeLimit(budget);
                var solution = Solver.Solve(problems[i], stop, seed, single);
                results[i] = new BatchResult(i, solution, budget, begun, clock.GetElapsedTime(started) - begun);
            }
        }

        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(threads, problems.Count))).Select(_ => new Thread(Work) { IsBackground = true }).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        return results;
    }
}

/// <summary>One problem's plan in a batch: its budget, when its solve began (from the batch's start) and how long it took.</summary>
public sealed record BatchResult(int Index, Solution Solution, TimeSpan Budget, TimeSpan Began, TimeSpan Elapsed);
