using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Streets.Tests;

/// <summary>The street matrices kept between plans: bounded, the last used kept, a network's old graph forgotten.</summary>
public sealed class StreetMatrixCacheTests
{
    private int _built;

    [Fact]
    public void ADayOfReplansKeepsNoMoreMatricesThanTheCapacityAndTheLastOnesStayCached()
    {
        var cache = new StreetMatrixCache(capacity: 4);
        for (var plan = 0; plan < 50; plan++)
        {
            cache.GetOrAdd("amboise", "v1", $"points of plan {plan}", Build);
        }

        Assert.Equal(50, _built);
        Assert.InRange(cache.Count, 1, 4);

        // The plan just made is asked again (the courier's page, the next step of the same run): no new query.
        var last = cache.GetOrAdd("amboise", "v1", "points of plan 49", Build);
        Assert.Equal(50, _built);

        // The first plan's matrix was let go: it is built again.
        cache.GetOrAdd("amboise", "v1", "points of plan 0", Build);
        Assert.Equal(51, _built);
        Assert.Same(last, cache.GetOrAdd("amboise", "v1", "points of plan 49", Build));
    }

    [Fact]
    public void ANewGraphVersionForgetsThatNetworksMatricesOnly()
    {
        var cache = new StreetMatrixCache();
        var amboise = cache.GetOrAdd("amboise", "v1", "points", Build);
        var tours = cache.GetOrAdd("tours", "v1", "points", Build);

        var rebuilt = cache.GetOrAdd("amboise", "v2", "points", Build);

        Assert.NotSame(amboise, rebuilt);
        Assert.Same(tours, cache.GetOrAdd("tours", "v1", "points", Build));
        Assert.Equal(2, cache.Count);
        Assert.Equal(3, _built);
    }

    [Fact]
    public void ACacheTooSmallToHoldAPlanIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreetMatrixCache(capacity: 1));

    private DenseTravelMatrix Build()
    {
        _built++;
        return new DenseTravelMatrix(1, [0], [[0]]);
    }
}
