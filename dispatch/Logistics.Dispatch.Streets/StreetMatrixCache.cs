using System.Collections.Concurrent;
using BitFaster.Caching.Lru;
using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Streets;

/// <summary>
/// Matrices kept per network and graph version: the same points and profiles on the same graph come back without a
/// query; when a network's graph version changes (a new extract imported, an edge edited), its older matrices go.
/// Every re-plan asks for a new set of points, so the cache holds at most <see cref="Capacity"/> matrices, those
/// used last (a département's day of re-plans would otherwise keep every matrix it ever built).
/// </summary>
public sealed class StreetMatrixCache(int capacity = StreetMatrixCache.DefaultCapacity)
{
    /// <summary>Enough for every network of a federation (46) to keep its last few plans' matrices.</summary>
    public const int DefaultCapacity = 256;

    private readonly ConcurrentLru<(string Network, string Version, string Request), ITravelMatrix> _matrices =
        new(capacity >= 3 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A matrix cache holds at least 3 matrices."));

    private readonly ConcurrentDictionary<string, string> _versions = new();

    public static StreetMatrixCache Shared { get; } = new();

    public int Capacity => capacity;

    public int Count => _matrices.Count;

    public ITravelMatrix GetOrAdd(string network, string version, string request, Func<ITravelMatrix> build)
    {
        if (_versions.TryGetValue(network, out var known) && known != version)
        {
            foreach (var key in _matrices.Keys.Where(k => k.Network == network && k.Version != version).ToList())
            {
                _matrices.TryRemove(key);
            }
        }

        _versions[network] = version;
        return _matrices.GetOrAdd((network, version, request), _ => build());
    }
}
