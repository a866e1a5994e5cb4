using System.Text.Json;
using Logistics.Dispatch.Streets;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Planning;

/// <summary>The planner plans on straight lines until a street graph is loaded in the core's database, then on the streets.</summary>
public sealed class StreetTravelTests : PlanningTest
{
    /// <summary>
    /// Three streets from the bakery to the station's locker, round by the east: 504 m east, 767 m north, 511 m west
    /// (1,782 m), where the straight line is 767 m (997 m with the detour factor of 1.3).
    /// </summary>
    private const string Osm = """
        <?xml version="1.0" encoding="UTF-8"?>
        <osm version="0.6" generator="Logistics tests">
          <bounds minlat="47.412" minlon="0.982" maxlat="47.421" maxlon="0.991"/>
          <node id="1" lat="47.4130" lon="0.9833" version="1"/>
          <node id="2" lat="47.4130" lon="0.9900" version="1"/>
          <node id="3" lat="47.4199" lon="0.9900" version="1"/>
          <node id="4" lat="47.4199" lon="0.9832" version="1"/>
          <way id="10" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="Rue Nationale"/></way>
          <way id="11" version="1"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="name" v="Boulevard Est"/></way>
          <way id="12" version="1"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="name" v="Rue de la Gare"/></way>
        </osm>
        """;

    private const double BikeMetresPerSecond = 13 / 3.6;

    [Fact]
    public async Task OnceTheStreetGraphIsLoadedThePlanUsesStreetTravelTimes()
    {
        var parcel = await ForLockerAsync(Net.Shop, Net.FarLockerId);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);

        var straight = await PlanAsync();

        Assert.Equal("straight-lines", straight.GetProperty("travel").GetString());
        // The 2-minute pickup at the bakery, then 997 m at 13 km/h.
        Assert.Equal(120 + (997 / BikeMetresPerSecond), await SecondsToStationAsync(parcel), 15.0);

        var file = Path.Combine(Path.GetTempPath(), $"planning-town-{Guid.NewGuid():N}.osm");
        await File.WriteAllTextAsync(file, Osm);
        try
        {
            await OsmImport.ImportAsync(Server.ConnectionString, file, "streets");
        }
        finally
        {
            File.Delete(file);
        }

        // A re-plan that changes no work keeps the round as it is: a second parcel for the station makes it re-time.
        var second = await ForLockerAsync(Net.Shop, Net.FarLockerId);
        var streets = await PlanAsync();

        Assert.Equal("streets", streets.GetProperty("travel").GetString());
        // Two pickups of 2 minutes at the bakery now, then 1,782 m of streets.
        Assert.Equal(240 + (1782 / BikeMetresPerSecond), await SecondsToStationAsync(second), 15.0);
        var round = Assert.Single((await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync("/api/rounds"))).EnumerateArray());
        Assert.Equal(2 * 1.782, round.GetProperty("distanceKm").GetDouble(), 0.05);
    }

    private async Task<double> SecondsToStationAsync(string parcel)
    {
        var stop = Assert.Single(Stops(await RoundAsync(Net.Courier)), s => ParcelIds(s).Contains(parcel) && Actions(s).Contains("deposit"));
        return (stop.GetProperty("plannedArrival").GetDateTimeOffset() - Now).TotalSeconds;
    }
}
