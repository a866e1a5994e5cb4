namespace Logistics.EventStore;

/// <summary>An event about to be appended: its id makes retries idempotent; its data is JSON.</summary>
public sealed record EventData(Guid EventId, string EventType, int SchemaVersion, string Data, EventMetadata Metadata);

/// <summary>
/// Who caused an event, when, and as part of what; <see cref="TraceParent"/> is the W3C trace context of the request
/// or job that appended it (absent when nothing traced it), so the work that follows joins its trace.
/// <see cref="Network"/> is the network (tenant) the event's stream belongs to, in a deployment that hosts several.
/// </summary>
public sealed record EventMetadata(
    DateTimeOffset OccurredAt,
    string ActorKind,
    string ActorId,
    Guid CorrelationId,
    Guid? CausationId = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? TraceParent = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Network = null)
{
    public static EventMetadata System(DateTimeOffset at, Guid? correlationId = null) =>
        new(at, "system", "system", correlationId ?? Guid.NewGuid());
}

/// <summary>An event as stored.</summary>
public sealed record RecordedEvent(
    Guid EventId,
    string StreamId,
    long StreamVersion,
    GlobalPosition Position,
    string EventType,
    int SchemaVersion,
    string Data,
    EventMetadata Metadata,
    DateTimeOffset RecordedAt);

/// <summary>The outcome of an append: the stream's new version and where each event landed.</summary>
public sealed record AppendResult(long NextExpectedVersion, IReadOnlyList<GlobalPosition> Positions, bool WasDuplicate);
