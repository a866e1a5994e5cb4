using Logistics.Domain.Couriers;

namespace Logistics.Domain.Tests;

public class SharedTypesTests
{
    [Fact]
    public void HaversineDistanceMatchesAKnownCityPair()
    {
        var paris = new GeoPoint(48.8566, 2.3522);
        var tours = new GeoPoint(47.3941, 0.6848);

        // About 205 km as the crow flies.
        Assert.InRange(paris.DistanceMetersTo(tours), 203_000, 207_000);
        Assert.Equal(paris.DistanceMetersTo(tours), tours.DistanceMetersTo(paris), 6);
        Assert.Equal(0, paris.DistanceMetersTo(paris));
    }

    [Fact]
    public void OneThousandthOfADegreeOfLatitudeIsAboutOneHundredElevenMetres() =>
        Assert.InRange(new GeoPoint(47, 0.7).DistanceMetersTo(new GeoPoint(47.001, 0.7)), 110.5, 111.8);

    [Fact]
    public void TimeWindowRefusesAnEmptyOrReversedInterval()
    {
        var t = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal("time-window.empty", Assert.Throws<DomainRuleViolation>(() => new TimeWindow(t, t)).Code);
        Assert.Equal("time-window.empty", Assert.Throws<DomainRuleViolation>(() => new TimeWindow(t, t.AddMinutes(-1))).Code);
        var window = new TimeWindow(t, t.AddHours(2));
        Assert.True(window.Contains(t));
        Assert.False(window.Contains(t.AddHours(2)));
        Assert.Equal(new TimeWindow(t, t.AddHours(2)), window);
    }

    [Fact]
    public void SizesFitEqualOrLargerCompartmentsAndWeighInUnits()
    {
        Assert.True(ParcelSize.L.Fits(ParcelSize.S));
        Assert.True(ParcelSize.M.Fits(ParcelSize.M));
        Assert.False(ParcelSize.S.Fits(ParcelSize.M));
        Assert.Equal([1, 2, 4], new[] { ParcelSize.S, ParcelSize.M, ParcelSize.L }.Select(s => s.Units()));
    }

    [Fact]
    public void StreamNamesArePrefixedIds()
    {
        Assert.Equal("parcel-p1", StreamName.For(new ParcelId("p1")));
        Assert.Equal("locker-l1", StreamName.For(new LockerId("l1")));
        Assert.Equal("courier-c1", StreamName.For(new CourierId("c1")));
        Assert.Equal("shop-s1", StreamName.For(new ShopId("s1")));
        Assert.Equal("p1", StreamName.IdOf("parcel-p1", StreamName.ParcelPrefix));
        Assert.Null(StreamName.IdOf("shop-s1", StreamName.ParcelPrefix));
    }

    [Fact]
    public void IdsPrintAsTheirValue() => Assert.Equal("c-ana", new CourierId("c-ana").ToString());

    [Fact]
    public void VehicleNamesAreStable() => Assert.Equal(["CargoBike", "Van"], Enum.GetNames<Vehicle>());
}
