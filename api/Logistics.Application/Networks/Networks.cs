using System.Text.RegularExpressions;

namespace Logistics.Application.Networks;

/// <summary>
/// A deployment hosts many networks (one per town or shopkeepers' association). Every stream belongs to the network
/// of its first event (<see cref="EventStore.EventMetadata.Network"/>); every read-model root row, key and account
/// carries its network's id. What was recorded before networks existed belongs to <see cref="Default"/>.
/// </summary>
public static partial class NetworkIds
{
    /// <summary>The network of everything recorded without one (a deployment that never made a second network).</summary>
    public const string Default = "main";

    /// <summary>What a federation operator's key carries: bound to no one network.</summary>
    public const string All = "*";

    /// <summary>A network id: 2–40 lower-case letters, digits and dashes, starting with a letter (it shows in URLs and logs).</summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>The network an event's metadata names, or <see cref="Default"/> for one recorded before networks.</summary>
    public static string Of(EventStore.EventMetadata metadata) => metadata.Network ?? Default;

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$")]
    private static partial Regex Pattern();
}

/// <summary>The network of an event a projection or a process manager handles.</summary>
public static class EnvelopeNetworks
{
    public static string Network(this EventStore.Subscriptions.EventEnvelope envelope) => NetworkIds.Of(envelope.Recorded.Metadata);
}

/// <summary>
/// The network the current request acts in, for the whole of its work (set once the caller is known): every stream
/// a request of one network loads from another network loads as a stream with no event, so no path, however it got
/// an id, reads or decides on another network's state. Background work (projections, process managers, schedulers)
/// runs outside any request, bound to no network.
/// </summary>
public static class NetworkScope
{
    // A holder, emptied when the request ends: work a request started and that outlives it (a timer, a loop first
    // started by it) is bound to no network once the request is over, as IHttpContextAccessor forgets its request.
    private static readonly AsyncLocal<Holder?> CurrentHolder = new();

    /// <summary>The request's network, or null outside a network's request.</summary>
    public static string? Current => CurrentHolder.Value?.Network;

    /// <summary>Binds the rest of this asynchronous flow to <paramref name="network"/> (null: to none) until disposed.</summary>
    public static IDisposable Enter(string? network)
    {
        var holder = new Holder { Network = network };
        CurrentHolder.Value = holder;
        return holder;
    }

    /// <summary>Whether a stream of <paramref name="network"/> is out of the current request's sight.</summary>
    public static bool Hides(string? network) => network is not null && Current is { } current && current != network;

    private sealed class Holder : IDisposable
    {
        public string? Network { get; set; }

        public void Dispose() => Network = null;
    }
}
