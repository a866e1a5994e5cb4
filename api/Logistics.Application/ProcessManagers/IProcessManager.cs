using Logistics.EventStore.Subscriptions;

namespace Logistics.Application.ProcessManagers;

/// <summary>
/// Finishes across streams what a request started on one: a subscriber to the global log, run from a durable
/// checkpoint. Every step must be idempotent (event ids derive from the cause's id, door commands are keyed by it):
/// after a crash the events since the checkpoint are handled again and nothing is done twice.
/// </summary>
public interface IProcessManager
{
    /// <summary>A stable name: the checkpoint's key and the lease's.</summary>
    string Name { get; }

    /// <summary>Does what follows from one event (nothing for events it does not follow).</summary>
    Task HandleAsync(EventEnvelope e, CancellationToken cancellationToken);

    /// <summary>
    /// How many streams' events it may handle at once (each stream's in order): 1, the default, handles the log one
    /// event at a time. More only for a manager whose steps for one stream never wait on another stream's having been
    /// handled first.
    /// </summary>
    int Partitions => 1;

    /// <summary>
    /// Whether it does anything with events of this class: the others are passed without being decoded (most of the
    /// log is not a manager's business). True for every class unless it says otherwise.
    /// </summary>
    bool Follows(Type eventClass) => true;
}
