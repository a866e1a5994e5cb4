namespace Logistics.Dispatch.Streets;

/// <summary>
/// Where the street graph is (the schema osm2pgrouting imported into), which network the matrices are cached for,
/// the access rules per profile name, and the duration given to a pair no path joins.
/// </summary>
public sealed record StreetGraphOptions
{
    public string Schema { get; init; } = "public";

    public string NetworkKey { get; init; } = "default";

    public IReadOnlyDictionary<string, StreetRules> Rules { get; init; } = StreetRules.Defaults;

    /// <summary>Seconds (and metres) for a pair no path joins for that profile: far beyond any shift, so the solver never plans it.</summary>
    public double Unreachable { get; init; } = 1e6;

    /// <summary>Where matrices are kept; one shared cache per process by default.</summary>
    public StreetMatrixCache Cache { get; init; } = StreetMatrixCache.Shared;
}
