using Logistics.Dispatch.Streets;
using Logistics.Dispatch.Travel;
using Logistics.Testing;

namespace Logistics.Demo.Tests;

/// <summary>The demo's street sketch loads where pgRouting is (the test command installs it) and joins every place of the demo town.</summary>
public sealed class DemoStreetsTests
{
    // Some of the demo's shops and its three lockers (DemoSeeder), from the quay to the station across the river.
    private static readonly GeoPoint[] Places =
    [
        new(47.41305, 0.98330), new(47.41228, 0.98102), new(47.41120, 0.98690), new(47.41375, 0.97930), new(47.41960, 0.98270),
        new(47.41245, 0.98350), new(47.41480, 0.97995), new(47.41990, 0.98320),
    ];

    [Fact]
    public async Task TheTownsStreetsLoadOnceAndJoinEveryPlaceForBikesAndVans()
    {
        var database = await PostgresServer.CreateDatabaseAsync("demostreets");
        var said = new List<string>();

        Assert.True(await DemoStreets.LoadAsync(database, said.Add));
        Assert.True(await DemoStreets.LoadAsync(database, said.Add));

        Assert.Equal(
            ["Streets: loaded a sketch of the town's centre (pgRouting); planning uses street travel times.", "Streets: the town's street graph is loaded; planning uses street travel times."],
            said);
        var matrix = new PgRoutingTravelMatrixProvider(database, new StreetGraphOptions { Schema = DemoStreets.Schema, NetworkKey = "demo-test", Cache = new StreetMatrixCache() })
            .Build(Places, [new TravelProfile("cargo bike", 3.6), new TravelProfile("van", 5.5)]);
        for (var a = 0; a < Places.Length; a++)
        {
            for (var b = 0; b < Places.Length; b++)
            {
                Assert.True(matrix.Duration(0, a, b) < 1_000 && matrix.Duration(1, a, b) < 1_000, $"{Places[a]} to {Places[b]}");
            }
        }
    }
}
