namespace Logistics.EventStore.InMemory;

/// <summary>The event store contract in memory, for fast unit tests. One lock: appends are serialised.</summary>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly Lock _gate = new();
    private readonly List<RecordedEvent> _all = [];
    private readonly Dictionary<string, List<RecordedEvent>> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, RecordedEvent> _byId = [];
    private readonly TimeProvider _clock;
    private readonly AppendSignal _signal = new();

    public InMemoryEventStore(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    public Task<AppendResult> AppendAsync(
        string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        }

        AppendResult result;
        lock (_gate)
        {
            if (_byId.TryGetValue(events[0].EventId, out var first))
            {
                return Task.FromResult(Duplicate(streamId, events, first));
            }

            foreach (var e in events)
            {
                if (_byId.ContainsKey(e.EventId))
                {
                    throw new EventIdReuseException($"Event id {e.EventId} was already appended, but not with this batch.");
                }
            }

            var stream = _streams.GetValueOrDefault(streamId);
            var current = stream?.Count ?? 0;
            if (expectedVersion != ExpectedVersion.Any && expectedVersion != current)
            {
                throw new WrongExpectedVersionException(streamId, expectedVersion, current);
            }

            if (stream is null)
            {
                stream = [];
                _streams[streamId] = stream;
            }

            var now = _clock.GetUtcNow();
            var positions = new List<GlobalPosition>(events.Count);
            foreach (var e in events)
            {
                var recorded = new RecordedEvent(
                    e.EventId, streamId, stream.Count + 1, new GlobalPosition(1, _all.Count + 1),
                    e.EventType, e.SchemaVersion, e.Data, e.Metadata, now);
                stream.Add(recorded);
                _all.Add(recorded);
                _byId[e.EventId] = recorded;
                positions.Add(recorded.Position);
            }

            result = new AppendResult(stream.Count, positions, WasDuplicate: false);
        }

        _signal.Pulse();
        return Task.FromResult(result);
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(
        string streamId, long fromVersion = 1, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<RecordedEvent> events = _streams.TryGetValue(streamId, out var stream)
                ? stream.Skip((int)Math.Max(0, fromVersion - 1)).ToArray()
                : [];
            return Task.FromResult(events);
        }
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(
        GlobalPosition after, int maxCount, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var start = after.Transaction == 0 ? 0 : (int)after.Sequence;
            IReadOnlyList<RecordedEvent> events = _all.Skip(start).Take(maxCount).ToArray();
            return Task.FromResult(events);
        }
    }

    public Task NextAppend() => _signal.Next();

    private AppendResult Duplicate(string streamId, IReadOnlyList<EventData> events, RecordedEvent first)
    {
        var stored = new List<RecordedEvent>(events.Count);
        foreach (var e in events)
        {
            if (!_byId.TryGetValue(e.EventId, out var original) || original.StreamId != streamId)
            {
                throw new EventIdReuseException(
                    $"Event id {first.EventId} was appended before, but the batch differs from the one stored.");
            }

            stored.Add(original);
        }

        return new AppendResult(stored[^1].StreamVersion, stored.Select(e => e.Position).ToArray(), WasDuplicate: true);
    }
}
