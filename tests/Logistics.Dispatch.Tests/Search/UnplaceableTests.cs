using Logistics.Dispatch.Checking;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Stopping;

namespace Logistics.Dispatch.Tests.Search;

public class UnplaceableTests
{
    [Fact]
    public void ARequestOverEveryCapacityIsReportedWithItsReason()
    {
        var source = Fixtures.FourStops(capacity: 10);
        var problem = new ProblemData(source.Travel, source.Stops, [source.Requests[0] with { Demand = 12 }, source.Requests[1]], source.Vehicles);

        var solution = Solver.Solve(problem, new IterationLimit(100), seed: 1);

        var unassigned = Assert.Single(solution.Unassigned);
        Assert.Equal(0, unassigned.Request);
        Assert.Equal(UnassignedReason.OverEveryCapacity, unassigned.Reason);
        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
    }

    [Fact]
    public void AWindowNoVehicleCanReachIsReportedWithItsReason()
    {
        var source = Fixtures.FourStops();
        var stops = source.Stops.ToArray();
        stops[3] = stops[3] with { Window = new TimeWindow(0, 5) };
        var problem = new ProblemData(source.Travel, stops, source.Requests, source.Vehicles);

        var solution = Solver.Solve(problem, new IterationLimit(100), seed: 1);

        var unassigned = Assert.Single(solution.Unassigned);
        Assert.Equal(1, unassigned.Request);
        Assert.Equal(UnassignedReason.WindowUnreachable, unassigned.Reason);
    }

    [Fact]
    public void ATooSmallFleetLeavesARequestOutWithNoRoomLeft()
    {
        var problem = Fixtures.FourStops(horizon: 70, vehicles: 1);

        var solution = Solver.Solve(problem, new IterationLimit(100), seed: 1);

        var unassigned = Assert.Single(solution.Unassigned);
        Assert.Equal(UnassignedReason.NoRoomLeft, unassigned.Reason);
        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
    }

    [Fact]
    public void AParcelOnBoardStaysWithItsCourier()
    {
        var source = Fixtures.FourStops();
        // Request 1 is already on vehicle 1: no pickup, only vehicle 1 allowed; stop 2 is then dropped from the problem's use.
        var problem = new ProblemData(source.Travel, source.Stops.Take(2).Append(source.Stops[3]).ToList(),
            [source.Requests[0], new Request(null, 2, 5, Vehicles: [1])], source.Vehicles);

        var solution = Solver.Solve(problem, new IterationLimit(200), seed: 1);

        Assert.Empty(solution.Unassigned);
        Assert.Contains(solution.Routes, r => r.Vehicle == 1 && r.Stops.Contains(2));
        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
        Assert.Contains(SolutionChecker.Check(problem, [(0, (IReadOnlyList<int>)[0, 1, 2])]).Violations, v => v.Kind == ViolationKind.VehicleNotAllowed);
    }

    [Fact]
    public void ARequestAllowingNoVehicleThatFitsIsReportedWithItsReason()
    {
        var source = Fixtures.FourStops();
        var problem = new ProblemData(source.Travel, source.Stops, [source.Requests[0], source.Requests[1] with { Vehicles = [] }], source.Vehicles);

        var solution = Solver.Solve(problem, new IterationLimit(50), seed: 1);

        Assert.Equal(UnassignedReason.NoAllowedVehicle, Assert.Single(solution.Unassigned).Reason);
    }
}
