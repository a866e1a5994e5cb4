namespace Logistics.EventStore;

/// <summary>
/// An append-only store of event streams with one global order. Implementations: <c>PostgresEventStore</c>
/// and <c>InMemoryEventStore</c>; both pass the same contract tests.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Appends events to a stream if it is at <paramref name="expectedVersion"/> (see <see cref="ExpectedVersion"/>).
    /// Re-sending events whose ids were already appended is a no-op that reports the original positions.
    /// </summary>
    /// <exception cref="WrongExpectedVersionException">The stream moved on since it was read.</exception>
    Task<AppendResult> AppendAsync(
        string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);

    /// <summary>Reads a stream from a version (1-based; 1 = the first event), in order.</summary>
    Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(
        string streamId, long fromVersion = 1, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the global log after <paramref name="after"/>. Never returns an event whose transaction could still be
    /// followed by a committed event with a smaller position: a reader may see an event late, never skip it.
    /// </summary>
    Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(
        GlobalPosition after, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// A task that completes at the first append made after this call. Take it before reading the log, await it
    /// once a read found nothing: an append in between is then never missed. Appends on other nodes are not
    /// signalled: readers also poll.
    /// </summary>
    Task NextAppend();
}
