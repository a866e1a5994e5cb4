using Logistics.Dispatch.Checking;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Stopping;

namespace Logistics.Dispatch.Tests.Rules;

public class ShiftLengthTests
{
    [Fact]
    public void ARoundLongerThanTheMaximumIsNotPlanned()
    {
        // The round takes 100 (10 out, 10 service, 30, 10 service, 40 back).
        var problem = Line.OneRequest(Line.Bike() with { MaxDuration = 99 });

        var solution = Solver.Solve(problem, new IterationLimit(50), seed: 1);

        var unassigned = Assert.Single(solution.Unassigned);
        Assert.Equal(UnassignedReason.OverShiftLength, unassigned.Reason);
        Assert.Equal(ViolationKind.ShiftTooLong, Assert.Single(SolutionChecker.Check(problem, [(0, [0, 1])]).Violations).Kind);
    }

    [Fact]
    public void TheRoundLeavesAsLateAsItsFirstStopAllows()
    {
        // The pickup opens at 150: the bike leaves at 140, waits at the delivery from 190 to 200, is back at 250:
        // 110 long, not 250.
        var pickup = Line.At(1, open: 150);
        var delivery = Line.At(2, open: 200);

        var fits = Solver.Solve(Line.OneRequest(Line.Bike() with { MaxDuration = 110 }, pickup, delivery), new IterationLimit(50), seed: 1);
        var over = Solver.Solve(Line.OneRequest(Line.Bike() with { MaxDuration = 109 }, pickup, delivery), new IterationLimit(50), seed: 1);

        var route = Assert.Single(fits.Routes);
        Assert.Equal(140, route.Departure, 9);
        Assert.Equal(250, route.EndTime, 9);
        Assert.Empty(over.Routes);
        Assert.Equal(UnassignedReason.OverShiftLength, Assert.Single(over.Unassigned).Reason);
    }

    [Fact]
    public void TwoRequestsTooLongForOneShiftGoToTwoVehicles()
    {
        // Both on one bike take 160 at best; the first alone takes 100, the second 140.
        var problem = new ProblemData(
            Line.Travel,
            [Line.At(1), Line.At(2), Line.At(3), Line.At(4)],
            [new Request(0, 1, 1), new Request(2, 3, 1)],
            [Line.Bike() with { MaxDuration = 145 }, Line.Bike() with { MaxDuration = 145 }],
            Objective.Priced);

        var solution = Solver.Solve(problem, new IterationLimit(200), seed: 1);

        Assert.Empty(solution.Unassigned);
        Assert.Equal(2, solution.VehiclesUsed);
        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
    }
}
