using Logistics.Dispatch.Streets;
using Logistics.Dispatch.Travel;
using Npgsql;

namespace Logistics.Application.Planning;

/// <summary>
/// Where planning's travel times come from, decided at each run: the street graph (osm2pgrouting's tables in
/// <see cref="PlanningOptions.StreetSchema"/>, in the core's database or <see cref="PlanningOptions.StreetConnectionString"/>'s,
/// routed by pgRouting with one cost per vehicle profile: one-way streets, pedestrian streets open to cargo bikes and
/// closed to vans) when one is loaded, else straight lines times <see cref="PlanningOptions.DetourFactor"/>. A street
/// query that fails falls back to straight lines for that run, with a warning: a plan is better late than never.
/// </summary>
public sealed partial class PlanningTravel : IDisposable
{
    public const string Streets = "streets";
    public const string StraightLines = "straight-lines";

    private readonly string _connectionString;
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PlanningOptions _options;
    private readonly ILogger<PlanningTravel> _logger;

    /// <param name="connectionString">The core's database, where the graph is unless the options name another.</param>
    /// <param name="dataSource">The core's data source (used when the graph is in the core's database).</param>
    public PlanningTravel(string connectionString, NpgsqlDataSource dataSource, PlanningOptions options, ILogger<PlanningTravel> logger)
    {
        _options = options;
        _logger = logger;
        _ownsDataSource = !string.IsNullOrWhiteSpace(options.StreetConnectionString);
        _connectionString = _ownsDataSource ? options.StreetConnectionString! : connectionString;
        _dataSource = _ownsDataSource ? NpgsqlDataSource.Create(_connectionString) : dataSource;
    }

    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    /// <summary>Which provider a run starting now uses: <see cref="Streets"/> or <see cref="StraightLines"/>.</summary>
    public string Mode()
    {
        if (_options.StreetSchema is null)
        {
            return StraightLines;
        }

        try
        {
            return PgRoutingTravelMatrixProvider.IsLoaded(_connectionString, _options.StreetSchema) ? Streets : StraightLines;
        }
        catch (NpgsqlException e)
        {
            LogFallback(_logger, e.Message);
            return StraightLines;
        }
    }

    public ITravelMatrixProvider Provider(string mode) => mode == Streets && _options.StreetSchema is { } schema
        ? new Fallback(new PgRoutingTravelMatrixProvider(_dataSource, new StreetGraphOptions { Schema = schema, NetworkKey = "core" }), this)
        : Straight();

    private HaversineTravelMatrixProvider Straight() => new(_options.DetourFactor);

    private HaversineTravelMatrixProvider FellBack(NpgsqlException e)
    {
        LogFallback(_logger, e.Message);
        return Straight();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Planning on straight lines: the street graph could not be used ({Error})")]
    private static partial void LogFallback(ILogger logger, string error);

    private sealed class Fallback(ITravelMatrixProvider streets, PlanningTravel travel) : ITravelMatrixProvider
    {
        public ITravelMatrix Build(IReadOnlyList<GeoPoint> points, IReadOnlyList<TravelProfile> profiles)
        {
            try
            {
                return streets.Build(points, profiles);
            }
            catch (NpgsqlException e)
            {
                return travel.FellBack(e).Build(points, profiles);
            }
        }
    }
}
