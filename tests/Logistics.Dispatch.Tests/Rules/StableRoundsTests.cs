using Logistics.Dispatch.Checking;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Stopping;
using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Tests.Rules;

public class StableRoundsTests
{
    // Two bikes, one at x = 0 and one at x = 100; request 0 near the first (x = 10 → 20), request 1 near the
    // second (x = 90 → 80). Stops: 0, 1 = request 0; 2, 3 = request 1.
    private static readonly EuclideanTravelMatrix Travel = new([(0, 0), (10, 0), (20, 0), (90, 0), (80, 0), (100, 0)]);

    private static ProblemData Problem(PreviousPlan? previous, int requests = 2) => new(
        Travel,
        new[] { Line.At(1), Line.At(2), Line.At(3), Line.At(4), Line.At(2, service: 0), Line.At(1, service: 0) }[..(2 * requests)],
        new[] { new Request(0, 1, 1), new Request(2, 3, 1), new Request(4, 5, 1) }[..requests],
        [new Vehicle(0, 0, new TimeWindow(0, 1000), 10), new Vehicle(5, 5, new TimeWindow(0, 1000), 10)],
        Objective.Priced,
        previous);

    [Fact]
    public void ARequestStaysWithItsCourierUnlessMovingItSavesMoreThanTheMoveCost()
    {
        // Both requests were on bike 1: 180 of driving; split over the two bikes, 40 + 40. Moving request 0 saves 100.
        PreviousRoute[] before = [new(1, [0, 1, 2, 3])];
        var keep = Problem(new PreviousPlan(before) { MoveCost = 110 });

        var kept = Solver.Solve(keep, new IterationLimit(300), seed: 1);
        var moved = Solver.Solve(Problem(new PreviousPlan(before) { MoveCost = 90 }), new IterationLimit(300), seed: 1);

        Assert.Equal(1, Assert.Single(kept.Routes).Vehicle);
        Assert.Empty(kept.Changes);
        Assert.Equal(2, moved.VehiclesUsed);
        Assert.Equal(new RequestMove(0, 1, 0), Assert.Single(Assert.Single(moved.Changes, c => c.Vehicle == 0).Added));
        Assert.Equal(new RequestMove(0, 1, 0), Assert.Single(Assert.Single(moved.Changes, c => c.Vehicle == 1).Removed));
        Assert.True(SolutionChecker.Check(keep, kept).Feasible);
        Assert.Equal(180 + 0, kept.Cost, 9);
        Assert.Equal(80 + 90, moved.Cost, 9);
    }

    [Fact]
    public void AStartedRoundKeepsItsFixedHeadAndItsAllowanceOfChanges()
    {
        // Bike 1 has set off to the pickup of request 1 (fixed) and then request 0; a new request 2 (x = 20 → 10)
        // would be cheapest on bike 0, and request 0 too: with no change allowed, bike 1 keeps request 0.
        var plan = new PreviousPlan([new PreviousRoute(1, [2, 0, 1, 3], Fixed: 1)]) { MaxStartedChanges = 0 };
        var problem = Problem(plan, 3);

        var solution = Solver.Solve(problem, new IterationLimit(300), seed: 1);

        var bike1 = Assert.Single(solution.Routes, r => r.Vehicle == 1);
        Assert.Equal(2, bike1.Stops[0]);
        Assert.Contains(0, bike1.Stops);
        Assert.DoesNotContain(4, bike1.Stops);
        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
        var change = Assert.Single(solution.Changes);
        Assert.Equal(0, change.Vehicle);
        Assert.Equal(new RequestMove(2, null, 0), Assert.Single(change.Added));
    }

    [Fact]
    public void ARequestBegunInTheHeadKeepsItsOtherStopsPlace()
    {
        // Regression (the delivery of a request begun in the head was held right after the head, nothing between):
        // bike 0 heads to the pickup at x = 10 (fixed); its delivery at x = 20 opens at 500, after the round's other
        // request (x = 90 → 80, windows closing at 400). The delivery keeps its previous place; nothing moves.
        var travel = new EuclideanTravelMatrix([(0, 0), (10, 0), (20, 0), (90, 0), (80, 0)]);
        var plan = new PreviousPlan([new PreviousRoute(0, [0, 2, 3, 1], Fixed: 1)]) { MaxStartedChanges = 0 };
        var problem = new ProblemData(
            travel,
            [Line.At(1), Line.At(2, open: 500), Line.At(3, close: 400), Line.At(4, close: 400)],
            [new Request(0, 1, 1), new Request(2, 3, 1)],
            [new Vehicle(0, 0, new TimeWindow(0, 1000), 10)],
            Objective.Priced,
            plan);

        var solution = Solver.Solve(problem, new IterationLimit(100), seed: 1);

        Assert.Equal([0, 2, 3, 1], Assert.Single(solution.Routes).Stops);
        Assert.Empty(solution.Unassigned);
        Assert.Empty(solution.Changes);
        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
    }

    [Fact]
    public void TheCheckerCatchesAChangedHeadAndTooManyChanges()
    {
        var problem = Problem(new PreviousPlan([new PreviousRoute(1, [2, 0, 1, 3], Fixed: 1)]) { MaxStartedChanges = 0 });

        var headChanged = SolutionChecker.Check(problem, [(1, [0, 2, 1, 3])]);
        var requestTaken = SolutionChecker.Check(problem, [(1, [2, 3]), (0, [0, 1])]);

        Assert.Equal(ViolationKind.FixedStopsChanged, Assert.Single(headChanged.Violations).Kind);
        Assert.Equal(ViolationKind.TooManyChanges, Assert.Single(requestTaken.Violations).Kind);
    }
}
