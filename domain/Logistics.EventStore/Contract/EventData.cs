using System.Text;
using System.Text.Json;

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

/// <summary>
/// An event as stored. Read from PostgreSQL, its data and metadata are kept as the UTF-8 the server sent and turned
/// into .NET values only when asked for: a rebuild decodes the data straight from the bytes (no UTF-16 string made
/// and turned back), and reads the metadata on its decoding threads rather than on the one reading the log.
/// </summary>
public sealed record RecordedEvent
{
    private readonly byte[]? _utf8Data;
    private readonly byte[]? _utf8Metadata;
    private string? _data;
    private EventMetadata? _metadata;

    public RecordedEvent(
        Guid EventId, string StreamId, long StreamVersion, GlobalPosition Position, string EventType, int SchemaVersion, string Data, EventMetadata Metadata, DateTimeOffset RecordedAt)
        : this(EventId, StreamId, StreamVersion, Position, EventType, SchemaVersion, RecordedAt)
    {
        _data = Data;
        _metadata = Metadata;
    }

    /// <summary>As read from the store: the data's and the metadata's JSON in UTF-8.</summary>
    internal RecordedEvent(
        Guid eventId, string streamId, long streamVersion, GlobalPosition position, string eventType, int schemaVersion, byte[] utf8Data, byte[] utf8Metadata, DateTimeOffset recordedAt)
        : this(eventId, streamId, streamVersion, position, eventType, schemaVersion, recordedAt)
    {
        _utf8Data = utf8Data;
        _utf8Metadata = utf8Metadata;
    }

    private RecordedEvent(Guid eventId, string streamId, long streamVersion, GlobalPosition position, string eventType, int schemaVersion, DateTimeOffset recordedAt)
    {
        EventId = eventId;
        StreamId = streamId;
        StreamVersion = streamVersion;
        Position = position;
        EventType = eventType;
        SchemaVersion = schemaVersion;
        RecordedAt = recordedAt;
    }

    public Guid EventId { get; }

    public string StreamId { get; }

    public long StreamVersion { get; }

    public GlobalPosition Position { get; }

    public string EventType { get; }

    public int SchemaVersion { get; }

    /// <summary>The event's JSON.</summary>
    public string Data => _data ??= Encoding.UTF8.GetString(_utf8Data!);

    public EventMetadata Metadata => _metadata ??= JsonSerializer.Deserialize(_utf8Metadata, Postgres.MetadataJsonContext.Default.EventMetadata)
        ?? throw new InvalidDataException($"Event {EventId} has no metadata.");

    public DateTimeOffset RecordedAt { get; }

    /// <summary>The data's JSON in UTF-8 when it was read so (from the store), else empty.</summary>
    internal ReadOnlySpan<byte> Utf8Data => _utf8Data;

    public bool Equals(RecordedEvent? other) =>
        other is not null && (ReferenceEquals(this, other) || (EventId == other.EventId && StreamId == other.StreamId && StreamVersion == other.StreamVersion &&
            Position == other.Position && EventType == other.EventType && SchemaVersion == other.SchemaVersion && RecordedAt == other.RecordedAt &&
            Data == other.Data && Metadata == other.Metadata));

    public override int GetHashCode() => HashCode.Combine(EventId, Position);
}

/// <summary>The outcome of an append: the stream's new version and where each event landed.</summary>
public sealed record AppendResult(long NextExpectedVersion, IReadOnlyList<GlobalPosition> Positions, bool WasDuplicate);
