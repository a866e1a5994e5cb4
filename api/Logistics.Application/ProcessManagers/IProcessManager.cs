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
}
