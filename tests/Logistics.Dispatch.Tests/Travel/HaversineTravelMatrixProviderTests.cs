using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Tests.Travel;

public class HaversineTravelMatrixProviderTests
{
    [Fact]
    public void DistanceIsTheGreatCircleTimesTheDetourAndDurationFollowsTheSpeed()
    {
        // One degree of latitude is about 111.2 km anywhere.
        GeoPoint[] points = [new(45.0, 4.0), new(46.0, 4.0)];

        var matrix = new HaversineTravelMatrixProvider(1.5).Build(points, [new TravelProfile("bike", 5), new TravelProfile("van", 10)]);

        Assert.InRange(matrix.Distance(0, 1), 111_000 * 1.5, 111_400 * 1.5);
        Assert.Equal(matrix.Distance(0, 1), matrix.Distance(1, 0));
        Assert.Equal(matrix.Distance(0, 1) / 5, matrix.Duration(0, 0, 1), 6);
        Assert.Equal(matrix.Distance(0, 1) / 10, matrix.Duration(1, 0, 1), 6);
        Assert.Equal(0, matrix.Distance(1, 1));
    }
}
