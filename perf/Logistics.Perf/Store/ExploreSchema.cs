using Npgsql;

namespace Logistics.Perf.Store;

/// <summary>
/// Extra variants run with <c>--explore</c>, each changing one thing against the references, to find where the
/// store's append loses time.
/// </summary>
internal static class ExploreSchema
{
    public const string Script = "";

    public static IEnumerable<AppendVariant> Singles(NpgsqlDataSource dataSource, SampleEvents samples)
    {
        _ = dataSource;
        _ = samples;
        return [];
    }

    public static IEnumerable<AppendVariant> Batches(NpgsqlDataSource dataSource, SampleEvents samples)
    {
        _ = dataSource;
        _ = samples;
        return [];
    }
}
