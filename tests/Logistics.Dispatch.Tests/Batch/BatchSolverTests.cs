using Logistics.Dispatch.Batch;
using Logistics.Dispatch.Checking;
using Logistics.Dispatch.City;

namespace Logistics.Dispatch.Tests.Batch;

public class BatchSolverTests
{
    [Fact]
    public void BudgetsGoBySizeFromTheThreadTimeLessTheReserve()
    {
        // 60 s on 2 threads less 10 %: 108 s of thread time for 20 + 100 + 60 requests.
        var budgets = BudgetSplit.BySize([20, 100, 60], TimeSpan.FromSeconds(60), threads: 2, reserve: 0.1);

        Assert.Equal([12.0, 60.0, 36.0], budgets.Select(b => Math.Round(b.TotalSeconds, 6)));
    }

    [Fact]
    public void ATinyNetworkStillGetsTheFloor()
    {
        var budgets = BudgetSplit.BySize([1, 10_000], TimeSpan.FromSeconds(10), threads: 1, reserve: 0, floor: TimeSpan.FromSeconds(0.5));

        Assert.Equal(0.5, budgets[0].TotalSeconds, 9);
    }

    [Fact]
    public void EveryNetworkIsPlannedAndEachPlanPassesTheChecker()
    {
        var towns = Enumerable.Range(0, 5).Select(n => CityGenerator.Generate(new CitySettings(10 + (5 * n), 3, n + 1, 1500)).Problem).ToList();
        // A clock that moves a millisecond each time it is read: each solve ends after a fixed number of readings.
        var parameters = new SolverParameters { TimeProvider = new SteppingClock(TimeSpan.FromMilliseconds(1)) };

        var results = BatchSolver.SolveAll(towns, TimeSpan.FromSeconds(5), threads: 2, seed: 1, parameters);

        Assert.Equal(Enumerable.Range(0, 5), results.Select(r => r.Index));
        Assert.All(results, r => Assert.True(SolutionChecker.Check(towns[r.Index], r.Solution).Feasible));
        Assert.All(results, r => Assert.True(r.Budget <= TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void WithAnIterationCapEachPlanIsTheOneSolveGivesWithThatCapWhateverTheThreads()
    {
        var towns = Enumerable.Range(0, 3).Select(n => CityGenerator.Generate(new CitySettings(12 + (4 * n), 3, n + 7, 1500)).Problem).ToList();
        var stop = new Stopping.IterationLimit(300);

        var results = BatchSolver.SolveAll(towns, TimeSpan.FromMinutes(10), threads: 2, seed: 3, iterations: 300);

        Assert.All(results, r =>
        {
            var alone = Solver.Solve(towns[r.Index], stop, 3);
            Assert.Equal(alone.Cost, r.Solution.Cost);
            Assert.Equal(alone.Routes.Select(x => string.Join(',', x.Stops)), r.Solution.Routes.Select(x => string.Join(',', x.Stops)));
            Assert.Equal(300, r.Solution.Iterations);
        });
    }

    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);
    }
}
