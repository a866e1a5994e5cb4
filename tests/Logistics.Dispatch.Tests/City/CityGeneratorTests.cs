using Logistics.Dispatch.Checking;
using Logistics.Dispatch.City;
using Logistics.Dispatch.Stopping;

namespace Logistics.Dispatch.Tests.City;

public class CityGeneratorTests
{
    [Fact]
    public void ASmallTownIsGeneratedTheSameForASeedAndSolvedFeasibly()
    {
        var settings = new CitySettings(Parcels: 60, Couriers: 5, Seed: 3);

        var first = CityGenerator.Generate(settings);
        var second = CityGenerator.Generate(settings);
        var solution = Solver.Solve(first.Problem, new IterationLimit(300), seed: 1);

        Assert.Equal(first.Problem.Stops, second.Problem.Stops);
        Assert.Equal(120, first.Problem.Stops.Count);
        Assert.Contains(first.Problem.Vehicles, v => v.Profile == 1);
        Assert.True(SolutionChecker.Check(first.Problem, solution).Feasible);
        Assert.Empty(solution.Unassigned);
    }
}
