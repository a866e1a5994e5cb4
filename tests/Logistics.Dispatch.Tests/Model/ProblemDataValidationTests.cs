using Logistics.Dispatch.Model;
using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Tests.Model;

public class ProblemDataValidationTests
{
    private static readonly EuclideanTravelMatrix Line = new([(0, 0), (10, 0), (20, 0)]);
    private static readonly Vehicle Van = new(0, 0, new TimeWindow(0, 100), 10);

    private static InvalidProblemException Refused(IReadOnlyList<Stop> stops, IReadOnlyList<Request> requests, IReadOnlyList<Vehicle>? vehicles = null) =>
        Assert.Throws<InvalidProblemException>(() => new ProblemData(Line, stops, requests, vehicles ?? [Van]));

    private static Stop At(int location, double open = 0, double close = 100) => new(location, new TimeWindow(open, close), 0);

    [Fact]
    public void AWindowClosingBeforeItOpensIsRefused() =>
        Assert.Contains("closes (5) before it opens (50)", Refused([At(1), At(2, 50, 5)], [new Request(0, 1, 1)]).Message, StringComparison.Ordinal);

    [Fact]
    public void ANegativeDemandIsRefused() =>
        Assert.Contains("negative demand -3", Refused([At(1), At(2)], [new Request(0, 1, -3)]).Message, StringComparison.Ordinal);

    [Fact]
    public void ADeliveryWithoutItsPickupIsRefused() =>
        Assert.Contains("Stop 1 belongs to no request", Refused([At(1), At(2)], [new Request(null, 0, 1)]).Message, StringComparison.Ordinal);

    [Fact]
    public void APickupThatDoesNotExistIsRefused() =>
        Assert.Contains("pickup names stop 5, which does not exist", Refused([At(1)], [new Request(5, 0, 1)]).Message, StringComparison.Ordinal);

    [Fact]
    public void AStopSharedByTwoRequestsIsRefused() =>
        Assert.Contains("claimed by requests 0 and 1", Refused([At(1), At(2)], [new Request(0, 1, 1), new Request(null, 1, 1)]).Message, StringComparison.Ordinal);

    [Fact]
    public void ALocationOutsideTheMatrixIsRefused() =>
        Assert.Contains("outside the travel matrix", Refused([At(1), At(9)], [new Request(0, 1, 1)]).Message, StringComparison.Ordinal);

    [Fact]
    public void AVehicleWithAnUnknownProfileIsRefused() =>
        Assert.Contains("travel profile 3", Refused([At(1), At(2)], [new Request(0, 1, 1)], [Van with { Profile = 3 }]).Message, StringComparison.Ordinal);

    [Fact]
    public void EveryProblemIsListedAtOnce() =>
        Assert.Equal(2, Refused([At(1), At(2, 9, 1)], [new Request(0, 1, -1)]).Problems.Count);
}
