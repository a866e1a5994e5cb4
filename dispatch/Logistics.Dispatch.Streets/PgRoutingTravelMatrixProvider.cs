using System.Globalization;
using System.Text.RegularExpressions;
using Logistics.Dispatch.Travel;
using Npgsql;

namespace Logistics.Dispatch.Streets;

/// <summary>
/// Travel times on a street graph in PostgreSQL (an OpenStreetMap extract imported by osm2pgrouting), computed by
/// pgRouting's Dijkstra with one edge cost per profile: its speed, its access rules (<see cref="StreetRules"/>) and
/// one-way streets. Each point is snapped to the nearest graph vertex; the metres between them are added at the
/// profile's speed. Distances are those of the first profile's fastest paths (the solver has one distance matrix);
/// durations are per profile. A pair no path joins gets <see cref="StreetGraphOptions.Unreachable"/>. Matrices are
/// cached per network and graph version (<see cref="StreetMatrixCache"/>).
/// </summary>
public sealed partial class PgRoutingTravelMatrixProvider : ITravelMatrixProvider
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly StreetGraphOptions _options;
    private readonly string _schema;

    public PgRoutingTravelMatrixProvider(string connectionString, StreetGraphOptions? options = null)
        : this(NpgsqlDataSource.Create(connectionString), options)
    {
    }

    public PgRoutingTravelMatrixProvider(NpgsqlDataSource dataSource, StreetGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _options = options ?? new StreetGraphOptions();
        _schema = Identifier(_options.Schema);
    }

    /// <summary>Whether a street graph has been imported in the schema (with pgRouting installed): otherwise the straight-line provider stays.</summary>
    public static bool IsLoaded(string connectionString, string schema = "public")
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            "select to_regclass(@ways) is not null and exists (select 1 from pg_extension where extname = 'pgrouting')", connection);
        command.Parameters.AddWithValue("ways", Identifier(schema) + ".ways");
        return command.ExecuteScalar() is true;
    }

    public ITravelMatrix Build(IReadOnlyList<GeoPoint> points, IReadOnlyList<TravelProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(profiles);
        var rules = profiles.Select(p => _options.Rules.TryGetValue(p.Name, out var r)
            ? r
            : throw new ArgumentException($"No street rules for the profile '{p.Name}' (known: {string.Join(", ", _options.Rules.Keys)}).", nameof(profiles))).ToArray();
        using var connection = _dataSource.OpenConnection();
        var version = GraphVersion(connection);
        var request = string.Join(';', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Latitude:R},{p.Longitude:R}")))
            + "|" + string.Join(';', profiles.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}:{p.MetresPerSecond:R}")));
        return _options.Cache.GetOrAdd(_options.NetworkKey, version, request, () => Compute(connection, points, profiles, rules));
    }

    private DenseTravelMatrix Compute(NpgsqlConnection connection, IReadOnlyList<GeoPoint> points, IReadOnlyList<TravelProfile> profiles, StreetRules[] rules)
    {
        var n = points.Count;
        var (vertex, offset) = Snap(connection, points);
        var vertices = vertex.Distinct().ToArray();
        var distances = new double[n * n];
        var durations = new double[profiles.Count][];
        for (var p = 0; p < profiles.Count; p++)
        {
            var speed = profiles[p].MetresPerSecond;
            var paths = Paths(connection, EdgesSql(rules[p], speed), vertices, withLength: p == 0);
            var row = durations[p] = new double[n * n];
            for (var a = 0; a < n; a++)
            {
                for (var b = 0; b < n; b++)
                {
                    if (a == b)
                    {
                        continue;
                    }

                    var ends = offset[a] + offset[b];
                    if (vertex[a] == vertex[b])
                    {
                        row[(a * n) + b] = ends / speed;
                        distances[(a * n) + b] = p == 0 ? ends : distances[(a * n) + b];
                    }
                    else if (paths.TryGetValue((vertex[a], vertex[b]), out var path))
                    {
                        row[(a * n) + b] = path.Seconds + (ends / speed);
                        distances[(a * n) + b] = p == 0 ? path.Metres + ends : distances[(a * n) + b];
                    }
                    else
                    {
                        row[(a * n) + b] = _options.Unreachable;
                        distances[(a * n) + b] = p == 0 ? _options.Unreachable : distances[(a * n) + b];
                    }
                }
            }
        }

        return new DenseTravelMatrix(n, distances, durations);
    }

    private string GraphVersion(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand(
            $"select count(*)::text || ':' || coalesce(md5(string_agg(concat_ws(',', gid, source, target, tag_id, one_way, length_m), ';' order by gid)), '') from {_schema}.ways",
            connection);
        return (string)command.ExecuteScalar()!;
    }

    private (long[] Vertex, double[] Offset) Snap(NpgsqlConnection connection, IReadOnlyList<GeoPoint> points)
    {
        using var command = new NpgsqlCommand(
            $"""
            select p.i, v.id, st_distance(v.the_geom::geography, st_setsrid(st_makepoint(p.lon, p.lat), 4326)::geography)
            from unnest(@lons, @lats) with ordinality as p(lon, lat, i)
            cross join lateral (select id, the_geom from {_schema}.ways_vertices_pgr
                                order by the_geom <-> st_setsrid(st_makepoint(p.lon, p.lat), 4326) limit 1) v
            """,
            connection);
        command.Parameters.AddWithValue("lons", points.Select(p => p.Longitude).ToArray());
        command.Parameters.AddWithValue("lats", points.Select(p => p.Latitude).ToArray());
        var vertex = new long[points.Count];
        var offset = new double[points.Count];
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var i = (int)reader.GetInt64(0) - 1;
            vertex[i] = reader.GetInt64(1);
            offset[i] = reader.GetDouble(2);
        }

        return (vertex, offset);
    }

    private Dictionary<(long From, long To), (double Seconds, double Metres)> Paths(NpgsqlConnection connection, string edges, long[] vertices, bool withLength)
    {
        var result = new Dictionary<(long, long), (double, double)>();
        if (vertices.Length < 2)
        {
            return result;
        }

        // The first profile's paths are walked edge by edge for their length; the others need only their cost.
        var sql = withLength
            ? $"""
              select d.start_vid, d.end_vid, sum(d.cost), sum(w.length_m)
              from pgr_dijkstra(@edges, @vertices, @vertices, true) d join {_schema}.ways w on w.gid = d.edge
              group by d.start_vid, d.end_vid
              """
            : "select start_vid, end_vid, agg_cost, 0::float8 from pgr_dijkstraCostMatrix(@edges, @vertices, true)";
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("edges", edges);
        command.Parameters.AddWithValue("vertices", vertices);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result[(reader.GetInt64(0), reader.GetInt64(1))] = (reader.GetDouble(2), reader.GetDouble(3));
        }

        return result;
    }

    // One edge query per profile: a closed class or a one-way street against its direction costs -1 (no edge).
    private string EdgesSql(StreetRules rules, double speed)
    {
        var closed = rules.Mode switch
        {
            StreetMode.Bike => "('footway', 'steps', 'bridleway', 'motorway', 'motorway_link', 'trunk', 'trunk_link')",
            StreetMode.Van => rules.PedestrianStreets
                ? "('footway', 'path', 'steps', 'cycleway', 'bridleway')"
                : "('pedestrian', 'footway', 'path', 'steps', 'cycleway', 'bridleway')",
            _ => "('motorway', 'motorway_link', 'trunk', 'trunk_link', 'cycleway')",
        };
        if (rules.Mode == StreetMode.Bike && !rules.PedestrianStreets)
        {
            closed = closed.Insert(1, "'pedestrian', ");
        }

        var open = $"not (c.tag_key = 'highway' and c.tag_value in {closed}){(rules.Mode == StreetMode.Bike ? "" : " and c.tag_key <> 'cycleway'")}";
        var bothWays = rules.Mode == StreetMode.Foot ? "true" : "false";
        var cost = string.Create(CultureInfo.InvariantCulture, $"w.length_m / {speed:R}");
        return $"""
            select w.gid as id, w.source, w.target,
                   case when {open} and ({bothWays} or w.one_way <> -1) then {cost} else -1 end as cost,
                   case when {open} and ({bothWays} or w.one_way <> 1) then {cost} else -1 end as reverse_cost
            from {_schema}.ways w join {_schema}.configuration c on c.tag_id = w.tag_id
            """;
    }

    internal static string Identifier(string name) =>
        IdentifierPattern().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a plain schema name.", nameof(name));

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex IdentifierPattern();
}
