using Logistics.Dispatch.Model;
using Logistics.Dispatch.Tests.Rules;

namespace Logistics.Dispatch.Tests.Model;

public class RulesValidationTests
{
    [Fact]
    public void BadRulesAreAllListed()
    {
        var error = Assert.Throws<InvalidProblemException>(() => new ProblemData(
            Line.Travel,
            [Line.At(1) with { Due = 5, LatenessPrice = -1 }, Line.At(2) with { Access = [new ProfileAccess(7)] }],
            [new Request(0, 1, 1)],
            [Line.Bike() with { MaxDuration = -1, Break = new BreakRule(0, 10) }],
            Objective.Priced,
            new PreviousPlan([new PreviousRoute(0, [1, 0]), new PreviousRoute(3, [])])));

        Assert.Contains(error.Problems, p => p.Contains("lateness price", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("profile 7", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("maximum duration", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("break", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("delivers before it picks up", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("vehicle 3", StringComparison.Ordinal));
    }
}
