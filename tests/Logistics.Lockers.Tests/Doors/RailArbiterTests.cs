using Logistics.Lockers.Doors;

namespace Logistics.Lockers.Tests.Doors;

public sealed class RailArbiterTests
{
    [Fact]
    public void RailIsGrantedInRequestOrder()
    {
        var rails = new RailArbiter();
        var (a, b, c) = (new CompartmentId(1), new CompartmentId(2), new CompartmentId(3));

        Assert.True(rails.Request(0, a));
        Assert.False(rails.Request(0, b));
        Assert.False(rails.Request(0, c));
        Assert.True(rails.Request(1, c));

        Assert.Equal(b, rails.Release(0, a));
        Assert.Equal(b, rails.HolderOf(0));
        Assert.Equal(c, rails.Release(0, b));
        Assert.Null(rails.Release(0, c));
        Assert.Null(rails.HolderOf(0));
    }
}
