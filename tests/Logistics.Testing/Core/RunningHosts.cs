using System.Collections.Concurrent;

namespace Logistics.Testing.Core;

/// <summary>
/// The hosts this test process runs, by origin: lets a page helper that only has a page (and its address) reach the
/// host behind it to set up what a test needs, such as an account for a key's role and subject.
/// </summary>
public static class RunningHosts
{
    private static readonly ConcurrentDictionary<string, IServiceProvider> Hosts = new(StringComparer.Ordinal);

    public static void Add(Uri address, IServiceProvider services) => Hosts[Origin(address)] = services;

    public static void Remove(Uri address) => Hosts.TryRemove(Origin(address), out _);

    public static IServiceProvider For(Uri address) =>
        Hosts.TryGetValue(Origin(address), out var services) ? services : throw new InvalidOperationException($"No host of this test process serves {Origin(address)}.");

    private static string Origin(Uri address) => address.GetLeftPart(UriPartial.Authority);
}
