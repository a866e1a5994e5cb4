using Logistics.Dispatch.Checking;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Stopping;

namespace Logistics.Dispatch.Tests.Rules;

public class AccessTests
{
    // A pedestrian street at x = 40: the van (twice as fast, so it would take the request) may not enter, or only
    // within its delivery hours.
    private static ProblemData PedestrianStreet(params ProfileAccess[] access) =>
        new(Line.Travel, [Line.At(1), Line.At(2) with { Access = access }], [new Request(0, 1, 1)], [Line.Bike(), Line.Van()], Objective.Hierarchical);

    [Fact]
    public void OnlyAnAllowedProfileServesTheStop()
    {
        var problem = PedestrianStreet(new ProfileAccess(0));

        var solution = Solver.Solve(problem, new IterationLimit(100), seed: 1);

        Assert.Equal(0, Assert.Single(solution.Routes).Vehicle);
        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
        Assert.Equal(ViolationKind.NoAccess, Assert.Single(SolutionChecker.Check(problem, [(1, [0, 1])]).Violations).Kind);
    }

    [Fact]
    public void TheVanGoesInWithinItsDeliveryHoursOnly()
    {
        // Both vehicles cover the same distance; the van is at the street at 30 (5 out, 10 service, 15 on).
        var open = PedestrianStreet(new ProfileAccess(0), new ProfileAccess(1, new TimeWindow(0, 35)));
        var closed = PedestrianStreet(new ProfileAccess(0), new ProfileAccess(1, new TimeWindow(0, 25)));
        var vanTooLate = new ProblemData(Line.Travel, [Line.At(1), Line.At(2) with { Access = [new ProfileAccess(1, new TimeWindow(0, 20))] }],
            [new Request(0, 1, 1)], [Line.Van()], Objective.Priced);

        var inHours = Solver.Solve(open, new IterationLimit(100), seed: 1);
        var outOfHours = Solver.Solve(closed, new IterationLimit(100), seed: 1);
        var nobody = Solver.Solve(vanTooLate, new IterationLimit(100), seed: 1);

        Assert.True(SolutionChecker.Check(open, [(1, [0, 1])]).Feasible);
        Assert.Equal(ViolationKind.WindowMissed, Assert.Single(SolutionChecker.Check(closed, [(1, [0, 1])]).Violations).Kind);
        Assert.True(SolutionChecker.Check(open, inHours).Feasible);
        Assert.True(SolutionChecker.Check(closed, outOfHours).Feasible);
        Assert.Equal(0, Assert.Single(outOfHours.Routes).Vehicle);
        Assert.Equal(UnassignedReason.NoAccess, Assert.Single(nobody.Unassigned).Reason);
    }

    [Fact]
    public void AStopNoProfileOfTheFleetMayReachIsLeftOutWithItsReason()
    {
        var walkersOnly = new ProblemData(Line.Travel, [Line.At(1), Line.At(2) with { Access = [new ProfileAccess(1)] }], [new Request(0, 1, 1)], [Line.Bike()]);

        var solution = Solver.Solve(walkersOnly, new IterationLimit(100), seed: 1);

        Assert.Empty(solution.Routes);
        Assert.Equal(UnassignedReason.NoAccess, Assert.Single(solution.Unassigned).Reason);
    }
}
