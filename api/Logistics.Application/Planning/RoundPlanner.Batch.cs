using Logistics.Dispatch;
using Logistics.Dispatch.Batch;

namespace Logistics.Application.Planning;

public sealed partial class RoundPlanner
{
    /// <summary>
    /// The groups of one network's couriers planned apart, each with the parcels only they may carry: one group, every
    /// courier on shift with every parcel, since any courier of a network may carry any of its parcels. A network is
    /// the unit planned apart: a cut-off puts every network's groups into one <see cref="Solve"/>
    /// (<c>RoundPlanner.Networks.cs</c>), so one network's couriers never meet another's parcels.
    /// </summary>
    private static IReadOnlyList<PlanningInput> Groups(PlanningInput input) => [input];

    /// <summary>
    /// Solves the problems side by side (a network's groups, or at a cut-off every network's) on <see cref="PlanningOptions.Threads"/> threads within
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
