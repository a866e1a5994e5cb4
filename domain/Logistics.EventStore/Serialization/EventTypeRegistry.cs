using System.Text.Json.Nodes;

namespace Logistics.EventStore.Serialization;

/// <summary>
/// Maps event classes to stored names and schema versions, and holds the upcasters that lift an old
/// stored shape to the current one when read. Stored events are never rewritten.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly Dictionary<Type, (string Name, int Version)> _byType = [];
    private readonly Dictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, int FromVersion), Func<JsonObject, JsonObject>> _upcasters = [];

    /// <summary>Registers an event class under a name (its class name by default) at its current schema version.</summary>
    public EventTypeRegistry Register(Type type, string? name = null, int version = 1)
    {
        name ??= type.Name;
        if (_byName.TryGetValue(name, out var existing) && existing != type)
        {
            throw new InvalidOperationException($"Event name '{name}' is used by both {existing} and {type}.");
        }

        _byType[type] = (name, version);
        _byName[name] = type;
        return this;
    }

    public EventTypeRegistry Register<TEvent>(string? name = null, int version = 1) => Register(typeof(TEvent), name, version);

    /// <summary>Registers every concrete class deriving from <paramref name="baseType"/> in its assembly.</summary>
    public EventTypeRegistry RegisterAllDerivedFrom(Type baseType)
    {
        foreach (var type in baseType.Assembly.GetTypes().Where(t => !t.IsAbstract && baseType.IsAssignableFrom(t)))
        {
            Register(type);
        }

        return this;
    }

    /// <summary>Teaches the registry how to lift version <paramref name="fromVersion"/> of an event to the next one.</summary>
    public EventTypeRegistry Upcast(string name, int fromVersion, Func<JsonObject, JsonObject> upcast)
    {
        _upcasters[(name, fromVersion)] = upcast;
        return this;
    }

    public (string Name, int Version) NameOf(Type type) =>
        _byType.TryGetValue(type, out var entry)
            ? entry
            : throw new InvalidOperationException($"The event class {type.Name} is not registered with the event store.");

    public bool TryGetType(string name, out Type type) => _byName.TryGetValue(name, out type!);

    /// <summary>Every stored name this registry reads.</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>Applies upcasters from a stored version up to the registered one.</summary>
    public JsonObject UpcastToCurrent(string name, int storedVersion, JsonObject data)
    {
        var current = _byType[_byName[name]].Version;
        for (var v = storedVersion; v < current; v++)
        {
            if (!_upcasters.TryGetValue((name, v), out var upcast))
            {
                throw new InvalidOperationException($"No upcaster lifts '{name}' from version {v} to {v + 1}.");
            }

            data = upcast(data);
        }

        return data;
    }

    public int CurrentVersion(string name) => _byType[_byName[name]].Version;
}
