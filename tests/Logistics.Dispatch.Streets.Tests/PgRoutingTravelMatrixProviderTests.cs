using Logistics.Dispatch.Travel;
using Npgsql;

namespace Logistics.Dispatch.Streets.Tests;

public class PgRoutingTravelMatrixProviderTests(SmallTown town) : IClassFixture<SmallTown>
{
    // Index of each corner in the points given to the provider.
    private const int A = 0, B = 1, C = 2, D = 3, E = 4, F = 5;
    private const double H = SmallTown.EastWest, V = SmallTown.NorthSouth;

    private static readonly GeoPoint[] Corners = [SmallTown.A, SmallTown.B, SmallTown.C, SmallTown.D, SmallTown.E, SmallTown.F];

    private static readonly TravelProfile[] Profiles =
        [new("van", 10), new("cargo bike", 5), new("on foot", 1.25), new("van (delivery hours)", 10)];

    private const int Van = 0, Bike = 1, Foot = 2, VanInHours = 3;

    private PgRoutingTravelMatrixProvider Provider(StreetMatrixCache cache, string network = "town") =>
        new(town.ConnectionString, new StreetGraphOptions { Schema = "streets", NetworkKey = network, Cache = cache });

    [Fact]
    public void OneWayStreetsBindVansAndBikesButNotWalkers()
    {
        var matrix = Provider(new StreetMatrixCache()).Build(Corners, Profiles);

        // With the one-way: a van from C to B goes round by F, E, D and A (the pedestrian street is closed to it):
        // 2 × 222.26 + 3 × 157.69 = 917.59 m at 10 m/s; a bike cuts through the pedestrian street (C, F, E, B):
        // 602.21 m at 5 m/s; a walker takes the one-way street backwards: 157.69 m at 1.25 m/s.
        Assert.Equal(((2 * V) + (3 * H)) / 10, matrix.Duration(Van, C, B), 1);
        Assert.Equal(H / 10, matrix.Duration(Van, B, C), 1);
        Assert.Equal(((2 * V) + H) / 5, matrix.Duration(Bike, C, B), 1);
        Assert.Equal(H / 1.25, matrix.Duration(Foot, C, B), 1);
        // Distances are the first profile's (the van's) paths.
        Assert.Equal((2 * V) + (3 * H), matrix.Distance(C, B), 0);
        Assert.Equal(H, matrix.Distance(B, C), 0);
    }

    [Fact]
    public void APedestrianStreetIsOpenToBikesAndToVansOnlyInDeliveryHours()
    {
        var matrix = Provider(new StreetMatrixCache()).Build(Corners, Profiles);

        // B to E: the pedestrian street is 222.26 m; a van outside the delivery hours goes round by A and D.
        Assert.Equal(V / 5, matrix.Duration(Bike, B, E), 1);
        Assert.Equal(((2 * H) + V) / 10, matrix.Duration(Van, B, E), 1);
        Assert.Equal(V / 10, matrix.Duration(VanInHours, B, E), 1);
        Assert.Equal(((2 * V) + H) / 10, matrix.Duration(VanInHours, C, B), 1);
    }

    [Fact]
    public void APointOffTheGraphIsWalkedToItsNearestCorner()
    {
        // 0.0001° north of A: 11.12 m from it.
        var matrix = Provider(new StreetMatrixCache()).Build([new GeoPoint(45.0001, 5.000), SmallTown.B], Profiles);

        Assert.Equal(11.12 + H, matrix.Distance(0, 1), 0);
        Assert.Equal((11.12 + H) / 5, matrix.Duration(Bike, 0, 1), 1);
    }

    [Fact]
    public async Task MatricesAreCachedPerNetworkAndRecomputedWhenTheGraphChanges()
    {
        var cache = new StreetMatrixCache();
        var provider = Provider(cache, "cached");
        var first = provider.Build(Corners, Profiles);
        var again = provider.Build(Corners, Profiles);
        var otherNetwork = Provider(cache, "other").Build(Corners, Profiles);

        Assert.Same(first, again);
        Assert.NotSame(first, otherNetwork);
        await using (var connection = new NpgsqlConnection(town.ConnectionString))
        {
            // The one-way street becomes two-way.
            await connection.OpenAsync();
            await using var edit = new NpgsqlCommand("update streets.ways set one_way = 2 where osm_id = 11", connection);
            await edit.ExecuteNonQueryAsync();
        }

        try
        {
            var changed = provider.Build(Corners, Profiles);

            Assert.NotSame(first, changed);
            Assert.Equal(H / 10, changed.Duration(Van, C, B), 1);
        }
        finally
        {
            await using var connection = new NpgsqlConnection(town.ConnectionString);
            await connection.OpenAsync();
            await using var undo = new NpgsqlCommand("update streets.ways set one_way = 1 where osm_id = 11", connection);
            await undo.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public void TheProviderSaysWhetherAGraphIsLoaded()
    {
        Assert.True(PgRoutingTravelMatrixProvider.IsLoaded(town.ConnectionString, "streets"));
        Assert.False(PgRoutingTravelMatrixProvider.IsLoaded(town.EmptyDatabase, "streets"));
    }

    [Fact]
    public void AnUnknownProfileIsRefusedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => Provider(new StreetMatrixCache()).Build(Corners, [new TravelProfile("hovercraft", 30)]));

        Assert.Contains("hovercraft", error.Message, StringComparison.Ordinal);
    }
}
