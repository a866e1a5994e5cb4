using Logistics.Dispatch.Travel;
using Logistics.Testing;

namespace Logistics.Dispatch.Streets.Tests;

/// <summary>
/// A small town written as OSM XML and imported by osm2pgrouting into a private database. Six corners on a grid
/// 0.002° apart at 45° N: A B C along the south (A–B two-way, B→C one-way eastwards), D E F along the north, west
/// street A–D, east street C–F, and a pedestrian street B–E. On the spheroid an east–west side is 157.69 m and a
/// north–south side 222.26 m.
/// </summary>
public sealed class SmallTown : IAsyncLifetime
{
    public const double EastWest = 157.69;
    public const double NorthSouth = 222.26;

    public static readonly GeoPoint A = new(45.000, 5.000), B = new(45.000, 5.002), C = new(45.000, 5.004);
    public static readonly GeoPoint D = new(45.002, 5.000), E = new(45.002, 5.002), F = new(45.002, 5.004);

    public const string Osm = """
        <?xml version="1.0" encoding="UTF-8"?>
        <osm version="0.6" generator="Logistics tests">
          <bounds minlat="44.999" minlon="4.999" maxlat="45.003" maxlon="5.005"/>
          <node id="1" lat="45.000" lon="5.000" version="1"/>
          <node id="2" lat="45.000" lon="5.002" version="1"/>
          <node id="3" lat="45.000" lon="5.004" version="1"/>
          <node id="4" lat="45.002" lon="5.000" version="1"/>
          <node id="5" lat="45.002" lon="5.002" version="1"/>
          <node id="6" lat="45.002" lon="5.004" version="1"/>
          <way id="10" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="Rue du Sud"/></way>
          <way id="11" version="1"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="oneway" v="yes"/><tag k="name" v="Rue à sens unique"/></way>
          <way id="12" version="1"><nd ref="1"/><nd ref="4"/><tag k="highway" v="residential"/><tag k="name" v="Rue Ouest"/></way>
          <way id="13" version="1"><nd ref="3"/><nd ref="6"/><tag k="highway" v="residential"/><tag k="name" v="Rue Est"/></way>
          <way id="14" version="1"><nd ref="4"/><nd ref="5"/><nd ref="6"/><tag k="highway" v="residential"/><tag k="name" v="Rue du Nord"/></way>
          <way id="15" version="1"><nd ref="2"/><nd ref="5"/><tag k="highway" v="pedestrian"/><tag k="name" v="Rue piétonne"/></way>
        </osm>
        """;

    public string ConnectionString { get; private set; } = "";

    public string EmptyDatabase { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("streets");
        EmptyDatabase = await PostgresServer.CreateDatabaseAsync("nostreets");
        var file = Path.Combine(Path.GetTempPath(), $"small-town-{Guid.NewGuid():N}.osm");
        await File.WriteAllTextAsync(file, Osm);
        try
        {
            await OsmImport.ImportAsync(ConnectionString, file, "streets");
        }
        finally
        {
            File.Delete(file);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
