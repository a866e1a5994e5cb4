using Logistics.Dispatch.Checking;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Stopping;

namespace Logistics.Dispatch.Tests.Rules;

public class LatenessTests
{
    [Fact]
    public void APriorityParcelIsPlannedLateAndTheSolutionSaysByHowMuch()
    {
        // Promised by 40; the bike can be there at 50 at the earliest. A hard window would leave it out.
        var problem = Line.OneRequest(Line.Bike(), delivery: Line.At(2) with { Due = 40, LatenessPrice = 2 });
        var hard = Line.OneRequest(Line.Bike(), delivery: Line.At(2, close: 40));

        var solution = Solver.Solve(problem, new IterationLimit(50), seed: 1);

        var late = Assert.Single(solution.Late);
        Assert.Equal(new LateStop(0, 1, 0, 10, 20), late);
        Assert.Equal(80 + 20, solution.Cost, 9);
        var report = SolutionChecker.Check(problem, solution);
        Assert.True(report.Feasible);
        Assert.Equal(10, report.Lateness, 9);
        Assert.Equal(20, report.LatenessPrice, 9);
        Assert.Single(Solver.Solve(hard, new IterationLimit(50), seed: 1).Unassigned);
    }

    [Fact]
    public void TheSearchServesTheLatePricedStopFirst()
    {
        // Two deliveries from the depot, at x = 10 (promised by 15, at 100 a unit late) and at x = 60 (no promise).
        // Going out to 60 first drives the same 120 and is 95 late at 10; the plan goes to 10 first.
        var problem = new ProblemData(
            Line.Travel,
            [Line.At(1, service: 0) with { Due = 15, LatenessPrice = 100 }, Line.At(4, service: 0)],
            [new Request(null, 0, 1), new Request(null, 1, 1)],
            [Line.Bike()],
            Objective.Priced);

        var solution = Solver.Solve(problem, new IterationLimit(200), seed: 1);

        Assert.Equal([0, 1], Assert.Single(solution.Routes).Stops);
        Assert.Empty(solution.Late);
    }
}
