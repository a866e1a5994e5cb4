using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Logistics.EventStore.PersonalData;

namespace Logistics.EventStore.Serialization;

/// <summary>
/// Turns domain events into stored JSON and back: names and versions from the registry, old versions upcast,
/// closed record hierarchies written with a "$type" discriminator, one-string ids as plain strings, and
/// personal data sealed per person (see <see cref="PersonalDataConverter{T}"/>).
/// </summary>
public sealed class EventSerializer
{
    private readonly EventTypeRegistry _registry;

    public EventSerializer(EventTypeRegistry registry, IEnumerable<JsonConverter>? converters = null, IEnumerable<System.Reflection.Assembly>? polymorphicAssemblies = null)
    {
        _registry = registry;
        Options = JsonOptions.Create(converters, polymorphicAssemblies);
    }

    public JsonSerializerOptions Options { get; }

    public EventData ToEventData(object @event, EventMetadata metadata, Guid? eventId = null)
    {
        var (name, version) = _registry.NameOf(@event.GetType());
        var json = JsonSerializer.Serialize(@event, @event.GetType(), Options);
        return new EventData(eventId ?? Guid.CreateVersion7(), name, version, json, metadata);
    }

    /// <summary>The event as its current class, upcast if stored in an older shape.</summary>
    public object Deserialize(RecordedEvent recorded)
    {
        if (!_registry.TryGetType(recorded.EventType, out var type))
        {
            throw new InvalidOperationException($"Stored event type '{recorded.EventType}' is unknown to this build.");
        }

        if (recorded.SchemaVersion == _registry.CurrentVersion(recorded.EventType))
        {
            var utf8 = recorded.Utf8Data;
            return (utf8.IsEmpty ? JsonSerializer.Deserialize(recorded.Data, type, Options) : JsonSerializer.Deserialize(utf8, type, Options))
                ?? throw new InvalidDataException($"Event {recorded.EventId} has no data.");
        }

        var node = JsonNode.Parse(recorded.Data) as JsonObject
            ?? throw new InvalidDataException($"Event {recorded.EventId} is not a JSON object.");
        var upcast = _registry.UpcastToCurrent(recorded.EventType, recorded.SchemaVersion, node);
        return upcast.Deserialize(type, Options) ?? throw new InvalidDataException($"Event {recorded.EventId} has no data.");
    }

    public bool IsKnown(string eventType) => _registry.TryGetType(eventType, out _);

    /// <summary>Every stored event type this build reads.</summary>
    public IEnumerable<string> KnownTypes => _registry.Names;

    /// <summary>The class a stored event type is read as; null when this build does not know it.</summary>
    public Type? TypeOf(string eventType) => _registry.TryGetType(eventType, out var type) ? type : null;

    /// <summary>
    /// Fetches at once the keys of the people whose sealed data these events hold, before they are read one by one
    /// (a rebuild reads millions; a key looked up per person would cost a round trip each).
    /// </summary>
    public async Task PreloadKeysAsync(IEnumerable<RecordedEvent> events, CancellationToken cancellationToken = default)
    {
        var sealers = Options.Converters.OfType<ISealedValues>().Select(c => c.Keys).Distinct().ToArray();
        if (sealers.Length == 0)
        {
            return;
        }

        var people = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Utf8Data.IsEmpty)
            {
                SealedPeople.Find(e.Data, people);
            }
            else
            {
                SealedPeople.Find(e.Utf8Data, people);
            }
        }

        foreach (var keys in sealers)
        {
            await keys.PreloadAsync(people, cancellationToken);
        }
    }
}
