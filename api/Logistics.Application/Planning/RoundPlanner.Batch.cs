using Logistics.Dispatch;
using Logistics.Dispatch.Batch;

namespace Logistics.Application.Planning;

public sealed partial class RoundPlanner
{
    /// <summary>
    /// The groups of couriers planned apart, each with the parcels only they may carry: today one group, every courier
    /// on shift with every parcel. Once a deployment holds many networks (the federation's issue), a network is a group
    /// (its couriers, its parcels), and a cut-off plans them all at once through <see cref="Solve"/>; nothing else here
    /// changes. Until then no network is invented.
    /// </summary>
    private static IReadOnlyList<PlanningInput> Groups(PlanningInput input) => [input];

    /// <summary>
    /// Solves the groups' problems side by side on <see cref="PlanningOptions.Threads"/> threads within
    /// <see cref="PlanningOptions.SolverSeconds"/> (<see cref="BatchSolver"/>: budgets by size, largest first), each
    /// stopping at <see cref="PlanningOptions.SolverIterations"/> too, so the same input gives the same plan.
    /// </summary>
    private List<Solution> Solve(IReadOnlyList<PlanningProblem> problems)
    {
        var solutions = problems.Select(_ => new Solution([], [], 0, 0, 0)).ToList();
        var solvable = problems.Select((p, i) => (Problem: p, Index: i)).Where(x => x.Problem.Problem.Requests.Count > 0).ToList();
        if (solvable.Count == 0)
        {
            return solutions;
        }

        var results = BatchSolver.SolveAll(
            [.. solvable.Select(x => x.Problem.Problem)],
            TimeSpan.FromSeconds(options.SolverSeconds),
            Math.Max(1, options.Threads),
            options.Seed,
            new SolverParameters { Threads = 1, TimeProvider = TimeProvider.System },
            options.SolverIterations);
        foreach (var result in results)
        {
            solutions[solvable[result.Index].Index] = result.Solution;
        }

        return solutions;
    }
}
