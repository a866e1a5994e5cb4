using System.Diagnostics;
using Npgsql;

namespace Logistics.Dispatch.Streets;

/// <summary>
/// Loads an OpenStreetMap extract (OSM XML) into a schema with osm2pgrouting (Debian package osm2pgrouting), after
/// creating the PostGIS and pgRouting extensions in the database. A re-import replaces the graph (--clean): its
/// version changes, and the cached matrices of the networks on it are recomputed on their next use.
/// </summary>
public static class OsmImport
{
    public static async Task ImportAsync(string connectionString, string osmFile, string schema = "public", string mapConfig = "/usr/share/osm2pgrouting/mapconfig.xml", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        if (!File.Exists(osmFile))
        {
            throw new FileNotFoundException("No OSM file there.", osmFile);
        }

        schema = PgRoutingTravelMatrixProvider.Identifier(schema);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                $"create extension if not exists postgis; create extension if not exists pgrouting; create schema if not exists {schema}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var start = new ProcessStartInfo("osm2pgrouting")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-f", osmFile, "-c", mapConfig, "--schema", schema, "--clean", "-d", builder.Database!, "-U", builder.Username ?? "postgres",
                     "-h", builder.Host ?? "localhost", "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(builder.Password))
        {
            start.ArgumentList.Add("-W");
            start.ArgumentList.Add(builder.Password);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("osm2pgrouting did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"osm2pgrouting failed ({process.ExitCode}): {await errors}{await output}");
        }
    }
}
