using Logistics.Dispatch.Streets;
using Logistics.Dispatch.Travel;
using Npgsql;

namespace Logistics.Application.Planning;

/// <summary>
/// Where planning's travel times come from, decided at each run: the street graph in the core's PostgreSQL
/// (osm2pgrouting's tables in <see cref="PlanningOptions.StreetSchema"/>, routed by pgRouting with one cost per
/// vehicle profile: one-way streets, pedestrian streets open to cargo bikes and closed to vans) when one is loaded,
/// else straight lines times <see cref="PlanningOptions.DetourFactor"/>. A street query that fails falls back to
/// straight lines for that run, with a warning: a plan is better late than never.
/// </summary>
public sealed partial class PlanningTravel(string connectionString, NpgsqlDataSource dataSource, PlanningOptions options, ILogger<PlanningTravel> logger)
{
    public const string Streets = "streets";
    public const string StraightLines = "straight-lines";

    /// <summary>Which provider a run starting now uses: <see cref="Streets"/> or <see cref="StraightLines"/>.</summary>
    public string Mode()
    {
        try
        {
            return PgRoutingTravelMatrixProvider.IsLoaded(connectionString, options.StreetSchema) ? Streets : StraightLines;
        }
        catch (NpgsqlException e)
        {
            LogFallback(logger, e.Message);
            return StraightLines;
        }
    }

    public ITravelMatrixProvider Provider(string mode) => mode == Streets
        ? new Fallback(new PgRoutingTravelMatrixProvider(dataSource, new StreetGraphOptions { Schema = options.StreetSchema, NetworkKey = "core" }), this)
        : Straight();

    private HaversineTravelMatrixProvider Straight() => new(options.DetourFactor);

    private HaversineTravelMatrixProvider FellBack(NpgsqlException e)
    {
        LogFallback(logger, e.Message);
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
