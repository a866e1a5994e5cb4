using Logistics.Dispatch.Checking;
using Logistics.Dispatch.Instances;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Stopping;

namespace Logistics.Dispatch.Tests.Search;

public class SolverTests
{
    private static ProblemData LiLim(string name) => LiLimReader.Read(Path.Combine(Fixtures.Benchmarks(), "li-lim-100", name + ".txt")).Problem;

    [Fact]
    public void FourStopsAreServedByOneVehicleWhenItFits()
    {
        var problem = Fixtures.FourStops();

        var solution = Solver.Solve(problem, new IterationLimit(200), seed: 3);

        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
        Assert.Empty(solution.Unassigned);
        Assert.Equal(1, solution.VehiclesUsed);
    }

    [Fact]
    public void AShortShiftSplitsTheRequestsOverTwoVehicles()
    {
        // One vehicle would need 76.4 time units; each pair alone takes 42.
        var problem = Fixtures.FourStops(horizon: 70);

        var solution = Solver.Solve(problem, new IterationLimit(200), seed: 3);

        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
        Assert.Equal(2, solution.VehiclesUsed);
    }

    [Fact]
    public void DepotDeliveriesAreServedWithinCapacity()
    {
        var problem = Fixtures.FiveDepotDeliveries();

        var solution = Solver.Solve(problem, new IterationLimit(300), seed: 5);

        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
        Assert.Equal(5, solution.Routes.Single().Stops.Count);
    }

    [Fact]
    public void ARealLiLimInstanceIsSolvedFeasiblyWithEveryRequestPlaced()
    {
        var problem = LiLim("lr104");

        var solution = Solver.Solve(problem, new IterationLimit(3000), seed: 1);
        var report = SolutionChecker.Check(problem, solution);

        Assert.True(report.Feasible, string.Join("\n", report.Violations.Select(v => v.Message)));
        Assert.Empty(solution.Unassigned);
        Assert.InRange(report.Vehicles, 9, 11);
        Assert.Equal(solution.Distance, report.Distance, 6);
    }

    [Fact]
    public void TheSameSeedGivesTheSameSolution()
    {
        var problem = LiLim("lrc105");
        var parameters = new SolverParameters { Threads = 2 };

        var first = Solver.Solve(problem, new IterationLimit(800), seed: 42, parameters);
        var second = Solver.Solve(problem, new IterationLimit(800), seed: 42, parameters);

        Assert.Equal(Describe(first), Describe(second));
        Assert.Equal(first.Distance, second.Distance);
    }

    [Fact]
    public void TheInjectedClockEndsATimeLimitedSearch()
    {
        var clock = new SteppingClock(TimeSpan.FromMilliseconds(1));

        var solution = Solver.Solve(LiLim("lc201"), new TimeLimit(TimeSpan.FromSeconds(0.5)), seed: 1, new SolverParameters { TimeProvider = clock });

        Assert.InRange(solution.Iterations, 1, 600);
    }

    [Fact]
    public void NothingPlaceableReturnsWithoutSpendingTheBudget()
    {
        var problem = Fixtures.FourStops(capacity: 4);

        var solution = Solver.Solve(problem, new TimeLimit(TimeSpan.FromHours(1)), seed: 1, new SolverParameters { TimeProvider = new SteppingClock(TimeSpan.FromMilliseconds(1)) });

        Assert.Equal(0, solution.Iterations);
        Assert.Equal(2, solution.Unassigned.Count);
        Assert.Empty(solution.Routes);
    }

    [Fact]
    public void TheCostObjectiveServesEveryRequestFeasibly()
    {
        var bike = new Vehicle(0, 0, new TimeWindow(0, 1000), 10, Costs: new VehicleCosts(50, 1, 0.5));
        var source = Fixtures.FourStops();
        var problem = new ProblemData(source.Travel, source.Stops, source.Requests, [bike, bike with { Capacity = 20 }], Objective.Priced);

        var solution = Solver.Solve(problem, new IterationLimit(200), seed: 1);

        Assert.True(SolutionChecker.Check(problem, solution).Feasible);
        Assert.Equal(1, solution.VehiclesUsed);
        // Depot, both pairs one after the other: 10 + 10 + √500 + 10 + 20; time pays driving (= distance here).
        var distance = 50 + Math.Sqrt(500);
        Assert.Equal(50 + distance + (0.5 * distance), solution.Cost, 6);
    }

    private static string Describe(Solution solution) =>
        string.Join(" | ", solution.Routes.Select(r => $"{r.Vehicle}: {string.Join(' ', r.Stops)}"));

    /// <summary>A clock that moves a fixed step each time it is read, so a time limit ends after a known number of reads.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);
    }
}
