using Logistics.Dispatch.Checking;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Stopping;

namespace Logistics.Dispatch.Tests.Rules;

public class BreakTests
{
    [Fact]
    public void TheBreakIsTakenBeforeTheStopThatWouldEndPastTheLimit()
    {
        // Pickup at 10 (done at 20); the delivery would start at 50 and end at 60, past the limit of 30: the break
        // goes after the pickup, from 20 to 35, so the delivery starts at 65 and the bike is back at 115.
        var problem = Line.OneRequest(Line.Bike() with { Break = new BreakRule(After: 30, Length: 15) });

        var solution = Solver.Solve(problem, new IterationLimit(50), seed: 1);

        var route = Assert.Single(solution.Routes);
        Assert.Equal(new RouteBreak(0, 20, 15), route.Break);
        Assert.Equal([10.0, 65.0], route.ServiceStarts);
        Assert.Equal(115, route.EndTime, 9);
        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
    }

    [Fact]
    public void ABreakThatFitsInAWaitCostsNoTime()
    {
        // The delivery opens at 80: the bike would wait 30 there, which holds the 15 of the break.
        var problem = Line.OneRequest(Line.Bike() with { Break = new BreakRule(30, 15) }, delivery: Line.At(2, open: 80));

        var solution = Solver.Solve(problem, new IterationLimit(50), seed: 1);

        var route = Assert.Single(solution.Routes);
        Assert.Equal(new RouteBreak(0, 20, 15), route.Break);
        Assert.Equal([10.0, 80.0], route.ServiceStarts);
        Assert.Equal(130, route.EndTime, 9);
        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
    }

    [Fact]
    public void AShortRoundNeedsNoBreak()
    {
        var problem = Line.OneRequest(Line.Bike() with { Break = new BreakRule(500, 15) });

        var solution = Solver.Solve(problem, new IterationLimit(50), seed: 1);

        Assert.Null(Assert.Single(solution.Routes).Break);
        Assert.Equal(100, solution.Routes[0].EndTime, 9);
    }

    [Fact]
    public void AWindowTheBreakPushesOutOfReachLeavesTheRequestOutWithItsReason()
    {
        // Without the break the delivery starts at 50; with it, 65, after the window closes at 60.
        var problem = Line.OneRequest(Line.Bike() with { Break = new BreakRule(30, 15) }, delivery: Line.At(2, close: 60));

        var solution = Solver.Solve(problem, new IterationLimit(50), seed: 1);

        Assert.Empty(solution.Routes);
        Assert.Equal(UnassignedReason.OverShiftLength, Assert.Single(solution.Unassigned).Reason);
    }

    [Fact]
    public void TheCheckerCatchesAMissingBreakAndALateOne()
    {
        var problem = Line.OneRequest(Line.Bike() with { Break = new BreakRule(30, 15) });
        IReadOnlyList<(int, IReadOnlyList<int>)> route = [(0, [0, 1])];

        Assert.Contains(SolutionChecker.Check(problem, route).Violations, v => v.Kind == ViolationKind.BreakMissing);
        var late = SolutionChecker.Check(problem, route, breaks: new Dictionary<int, RouteBreak> { [0] = new(1, 60, 15) });
        Assert.Contains(late.Violations, v => v.Kind == ViolationKind.BreakLate);
        Assert.True(SolutionChecker.Check(problem, route, breaks: new Dictionary<int, RouteBreak> { [0] = new(0, 20, 15) }).Feasible);
    }
}
