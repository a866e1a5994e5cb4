using Logistics.Dispatch.Checking;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Tests.Checking;

public class SolutionCheckerTests
{
    private static CheckReport Check(ProblemData problem, params (int Vehicle, int[] Stops)[] routes) =>
        SolutionChecker.Check(problem, routes.Select(r => (r.Vehicle, (IReadOnlyList<int>)r.Stops)).ToList());

    private static void AssertOnly(CheckReport report, ViolationKind kind)
    {
        Assert.False(report.Feasible);
        Assert.Contains(report.Violations, v => v.Kind == kind);
        Assert.All(report.Violations, v => Assert.Equal(kind, v.Kind));
    }

    [Fact]
    public void AValidSolutionPassesWithItsDistanceRecomputed()
    {
        var report = Check(Fixtures.FourStops(), (0, [0, 1]), (1, [2, 3]));

        Assert.True(report.Feasible);
        Assert.Equal(2, report.Vehicles);
        Assert.Equal(80, report.Distance, 9);
    }

    [Fact]
    public void AnUnknownVehicleIsCaught() => AssertOnly(Check(Fixtures.FourStops(), (0, [0, 1, 2, 3]), (7, [])), ViolationKind.UnknownVehicle);

    [Fact]
    public void AVehicleDrivingTwoRoutesIsCaught() => AssertOnly(Check(Fixtures.FourStops(), (0, [0, 1]), (0, [2, 3])), ViolationKind.VehicleUsedTwice);

    [Fact]
    public void AnUnknownStopIsCaught() => Assert.Contains(Check(Fixtures.FourStops(), (0, [0, 1, 2, 3, 9])).Violations, v => v.Kind == ViolationKind.UnknownStop);

    [Fact]
    public void AStopVisitedTwiceIsCaught() => AssertOnly(Check(Fixtures.FourStops(), (0, [0, 1, 2, 3]), (1, [2])), ViolationKind.StopVisitedTwice);

    [Fact]
    public void APairSplitOverTwoRoutesIsCaught() => AssertOnly(Check(Fixtures.FourStops(), (0, [0, 3]), (1, [2, 1])), ViolationKind.PairSplit);

    [Fact]
    public void HalfAPairIsCaught() => AssertOnly(Check(Fixtures.FourStops(), (0, [0, 2, 3])), ViolationKind.PairSplit);

    [Fact]
    public void ADeliveryBeforeItsPickupIsCaught() => AssertOnly(Check(Fixtures.FourStops(), (0, [1, 0, 2, 3])), ViolationKind.DeliveryBeforePickup);

    [Fact]
    public void ALoadOverCapacityIsCaught() => AssertOnly(Check(Fixtures.FourStops(capacity: 8), (0, [0, 2, 1, 3])), ViolationKind.CapacityExceeded);

    [Fact]
    public void DepotDeliveriesOverCapacityAreCaughtAtTheStart()
    {
        var report = Check(Fixtures.FiveDepotDeliveries() is var p ? Shrink(p, 8) : p, (0, [0, 1, 2, 3, 4]));

        Assert.Contains(report.Violations, v => v.Kind == ViolationKind.CapacityExceeded && v.Message.Contains("leaves with 10", StringComparison.Ordinal));
    }

    [Fact]
    public void AMissedWindowIsCaught()
    {
        var travel = new EuclideanTravelMatrix([(0, 0), (10, 0), (20, 0)]);
        var problem = new ProblemData(travel, [new Stop(1, new TimeWindow(0, 100), 0), new Stop(2, new TimeWindow(0, 15), 0)], [new Request(0, 1, 1)], [new Vehicle(0, 0, new TimeWindow(0, 100), 5)]);

        AssertOnly(Check(problem, (0, [0, 1])), ViolationKind.WindowMissed);
    }

    [Fact]
    public void ComingBackAfterTheShiftIsCaught() => AssertOnly(Check(Fixtures.FourStops(horizon: 70), (0, [0, 1, 2, 3])), ViolationKind.BackAfterShift);

    [Fact]
    public void ARequestNeitherServedNorReportedIsCaught()
    {
        var problem = Fixtures.FourStops();

        AssertOnly(Check(problem, (0, [0, 1])), ViolationKind.RequestNotServed);
        Assert.True(SolutionChecker.Check(problem, [(0, (IReadOnlyList<int>)[0, 1])], excused: [1]).Feasible);
    }

    private static ProblemData Shrink(ProblemData problem, int capacity) =>
        new(problem.Travel, problem.Stops, problem.Requests, problem.Vehicles.Select(v => v with { Capacity = capacity }).ToList(), problem.Objective);
}
