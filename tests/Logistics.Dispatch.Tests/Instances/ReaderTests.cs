using Logistics.Dispatch.Checking;
using Logistics.Dispatch.Instances;

namespace Logistics.Dispatch.Tests.Instances;

public class ReaderTests
{
    [Fact]
    public void LiLimFileReadsIntoPairsAndTheFleet()
    {
        var instance = LiLimReader.Read(Path.Combine(Fixtures.Benchmarks(), "li-lim-100", "lc101.txt"));

        Assert.Equal("lc1", instance.Family);
        Assert.Equal(53, instance.Problem.Requests.Count);
        Assert.All(instance.Problem.Requests, r => Assert.NotNull(r.Pickup));
        Assert.Equal(25, instance.Problem.Vehicles.Count);
        Assert.Equal(200, instance.Problem.Vehicles[0].Capacity);
    }

    [Fact]
    public void LiLimDeliveryWithoutItsPickupIsRefused()
    {
        const string text = "2\t10\t1\n0\t0\t0\t0\t0\t100\t0\t0\t0\n1\t1\t1\t-5\t0\t100\t0\t7\t0\n";

        var error = Assert.Throws<FormatException>(() => LiLimReader.Parse("broken", text));

        Assert.Contains("delivery 1 names pickup 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SolomonFileReadsIntoDepotDeliveries()
    {
        var instance = SolomonReader.Read(Path.Combine(Fixtures.Benchmarks(), "solomon-100", "C101.txt"));

        Assert.Equal("c1", instance.Family);
        Assert.Equal(100, instance.Problem.Requests.Count);
        Assert.All(instance.Problem.Requests, r => Assert.Null(r.Pickup));
    }

    [Fact]
    public void SintefFileListsTheFileNodeIdsOfEachRoute()
    {
        var instance = LiLimReader.Read(Path.Combine(Fixtures.Benchmarks(), "li-lim-100", "lc101.txt"));
        var solution = Solver.Solve(instance.Problem, new Stopping.IterationLimit(50), seed: 1);

        var text = SintefSolutionFile.Format(instance, solution, new DateOnly(2026, 11, 22));

        Assert.Contains("Instance name : lc101", text, StringComparison.Ordinal);
        var ids = text.Split('\n').Where(l => l.StartsWith("Route ", StringComparison.Ordinal)).SelectMany(l => l.Split(':')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 106), ids);
        Assert.True(SolutionChecker.Check(instance.Problem, solution).Feasible);
    }
}
