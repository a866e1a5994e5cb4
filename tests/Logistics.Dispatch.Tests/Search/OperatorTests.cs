using Logistics.Dispatch.Construction;
using Logistics.Dispatch.Instances;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Search;
using Logistics.Dispatch.Search.Operators;
using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Tests.Search;

public class OperatorTests
{
    // Depot at the origin, two requests eastwards along x, two northwards along y, ten apart.
    private static ProblemData EastAndNorth()
    {
        var points = new List<(double, double)> { (0, 0) };
        points.AddRange([(10, 0), (20, 0), (30, 0), (40, 0), (0, 10), (0, 20), (0, 30), (0, 40)]);
        var stops = Enumerable.Range(1, 8).Select(l => new Stop(l, new TimeWindow(0, 1000), 0)).ToList();
        var requests = Enumerable.Range(0, 4).Select(r => new Request(2 * r, (2 * r) + 1, 1)).ToList();
        var vehicles = Enumerable.Range(0, 2).Select(_ => new Vehicle(0, 0, new TimeWindow(0, 1000), 10)).ToList();
        return new ProblemData(new EuclideanTravelMatrix(points), stops, requests, vehicles);
    }

    private static WorkingSolution Routes(Compiled problem, params int[][] requestsPerVehicle)
    {
        var solution = new WorkingSolution(problem);
        for (var v = 0; v < requestsPerVehicle.Length; v++)
        {
            foreach (var r in requestsPerVehicle[v])
            {
                var end = solution.Routes[v].Count - 1;
                solution.Apply(r, new Insertion { Vehicle = v, First = end, Second = end + 1 });
            }
        }

        return solution;
    }

    [Fact]
    public void TwoOptStarSwapsTailsSoEachVehicleKeepsOneDirection()
    {
        var problem = new Compiled(EastAndNorth());
        var solution = Routes(problem, [0, 2], [3, 1]);
        var before = solution.Cost;
        var op = new TwoOptStar(problem);

        var delta = op.Evaluate(solution);
        op.Apply(solution);

        Assert.True(delta < 0);
        Assert.Equal(before + delta, solution.Cost);
        Assert.All(solution.Routes, r => Assert.True(r.Feasible));
        Assert.Equal(solution.RouteOf[0], solution.RouteOf[1]);
        Assert.Equal(solution.RouteOf[2], solution.RouteOf[3]);
    }

    [Fact]
    public void PairRelocateEmptiesAVehicleWhenTheOtherHasRoom()
    {
        var problem = new Compiled(EastAndNorth());
        var solution = Routes(problem, [0, 1, 2], [3]);
        var op = new PairRelocate(problem);

        var delta = op.Evaluate(solution);
        op.Apply(solution);

        Assert.True(delta < 0);
        Assert.Equal(1, solution.UsedVehicles);
    }

    [Fact]
    public void PairExchangeSwapsTwoMisplacedRequests()
    {
        var problem = new Compiled(EastAndNorth());
        var solution = Routes(problem, [0, 3], [2, 1]);
        var before = solution.Cost;
        var op = new PairExchange(problem);

        var delta = op.Evaluate(solution);
        op.Apply(solution);

        Assert.True(delta < 0);
        Assert.Equal(before + delta, solution.Cost);
        Assert.All(solution.Routes, r => Assert.True(r.Feasible));
    }

    // Also guards a regression: a blink on the one empty vehicle tried once stranded a request during construction.
    [Fact]
    public void LocalSearchNeverWorsensAGreedySolutionNorBreaksIt()
    {
        var instance = LiLimReader.Read(Path.Combine(Fixtures.Benchmarks(), "li-lim-100", "lrc103.txt"));
        var problem = new Compiled(instance.Problem);
        var solution = new WorkingSolution(problem);
        solution.Absent.AddRange(Enumerable.Range(0, problem.RequestCount));
        var all = Enumerable.Repeat(true, problem.VehicleCount).ToArray();
        new Recreate(problem, SolverParameters.Default).Apply(solution, new Rng(7), all);
        Assert.Empty(Unplaceable.Split(problem).Refused);
        Assert.Empty(solution.Absent);
        var before = solution.Cost;

        new LocalSearch(problem).Descend(solution, () => true);

        Assert.True(solution.Cost <= before);
        Assert.Empty(solution.Absent);
        Assert.All(solution.Routes, r => Assert.True(r.Feasible));
    }
}
