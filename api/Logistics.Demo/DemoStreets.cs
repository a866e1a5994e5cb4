using System.ComponentModel;
using Logistics.Dispatch.Streets;
using Npgsql;

namespace Logistics.Demo;

/// <summary>
/// The demo town's streets (<c>Streets/amboise-centre.osm</c>) in the schema the planner looks in, loaded by
/// osm2pgrouting when PostgreSQL has pgRouting and PostGIS: the planner then routes on them. Without those packages
/// the demo plans on straight lines, as any network without a street graph does.
/// </summary>
public static class DemoStreets
{
    public const string Schema = "streets";

    /// <summary>Loads the streets unless they are there already; one line says what the planner will use.</summary>
    public static async Task<bool> LoadAsync(string connectionString, Action<string> log, CancellationToken cancellationToken = default)
    {
        try
        {
            if (PgRoutingTravelMatrixProvider.IsLoaded(connectionString, Schema))
            {
                log("Streets: the town's street graph is loaded; planning uses street travel times.");
                return true;
            }

            await OsmImport.ImportAsync(connectionString, Path.Combine(AppContext.BaseDirectory, "Streets", "amboise-centre.osm"), Schema, cancellationToken: cancellationToken);
            log("Streets: loaded a sketch of the town's centre (pgRouting); planning uses street travel times.");
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or Win32Exception or InvalidOperationException or FileNotFoundException)
        {
            // No pgRouting or PostGIS in this PostgreSQL (create extension fails), or no osm2pgrouting on the machine.
            log($"Streets: none (pgRouting or osm2pgrouting unavailable: {FirstLine(e.Message)}); planning on straight lines.");
            return false;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
