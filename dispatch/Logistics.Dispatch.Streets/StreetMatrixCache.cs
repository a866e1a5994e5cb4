using System.Collections.Concurrent;
using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Streets;

/// <summary>
/// Matrices kept per network and graph version: the same points and profiles on the same graph come back without a
/// query; when a network's graph version changes (a new extract imported, an edge edited), its older matrices go.
/// </summary>
public sealed class StreetMatrixCache
{
    private readonly ConcurrentDictionary<(string Network, string Version, string Request), ITravelMatrix> _matrices = new();
    private readonly ConcurrentDictionary<string, string> _versions = new();

    public static StreetMatrixCache Shared { get; } = new();

    public int Count => _matrices.Count;

    public ITravelMatrix GetOrAdd(string network, string version, string request, Func<ITravelMatrix> build)
    {
        if (_versions.TryGetValue(network, out var known) && known != version)
        {
            foreach (var key in _matrices.Keys.Where(k => k.Network == network && k.Version != version))
            {
                _matrices.TryRemove(key, out _);
            }
        }

        _versions[network] = version;
        return _matrices.GetOrAdd((network, version, request), _ => build());
    }
}
