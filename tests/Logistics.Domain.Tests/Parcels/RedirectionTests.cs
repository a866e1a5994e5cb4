using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public class RedirectionTests
{
    private static readonly GeoPoint Home = new(47.3941, 0.6848);

    private static LockerSnapshot At(string id, double metersNorth, params ParcelSize[] free) =>
        new(new LockerId(id), new GeoPoint(Home.Latitude + (metersNorth / 111_195.0), Home.Longitude), free);

    [Fact]
    public void ChoosesTheNearestLockerWithACompartmentThatFits()
    {
        var chosen = Redirection.NearestLockerWithRoom(
            Home,
            ParcelSize.M,
            [At("far", 900, ParcelSize.L), At("near-but-small", 100, ParcelSize.S, ParcelSize.S), At("middle", 400, ParcelSize.M)]);

        Assert.Equal(new LockerId("middle"), chosen?.Id);
    }

    [Fact]
    public void ALargerCompartmentFitsASmallerParcel() =>
        Assert.Equal(new LockerId("only"), Redirection.NearestLockerWithRoom(Home, ParcelSize.S, [At("only", 300, ParcelSize.L)])?.Id);

    [Fact]
    public void ReturnsNullWhenNoLockerHasRoom() =>
        Assert.Null(Redirection.NearestLockerWithRoom(Home, ParcelSize.L, [At("a", 100, ParcelSize.M), At("b", 200)]));

    [Fact]
    public void EqualDistancesGoToTheSmallerIdWhateverTheOrder()
    {
        var a = At("a", 250, ParcelSize.M);
        var b = At("b", 250, ParcelSize.M);

        Assert.Equal(a.Id, Redirection.NearestLockerWithRoom(Home, ParcelSize.M, [b, a])?.Id);
        Assert.Equal(a.Id, Redirection.NearestLockerWithRoom(Home, ParcelSize.M, [a, b])?.Id);
    }
}
