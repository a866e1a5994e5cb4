using System.Text.Json;
using System.Text.Json.Serialization;

namespace Logistics.EventStore.PersonalData;

/// <summary>
/// Writes a personal-data value as <c>{"person": id, "sealed": base64}</c>, sealed under the person's key.
/// Reading it back after the key was erased yields <c>erased(personId)</c>: history still replays, the data is gone.
/// <paramref name="unsealedText"/> reads a value stored as a plain JSON string, as free text was before it was sealed.
/// </summary>
public sealed class PersonalDataConverter<T>(IPersonalDataKeys keys, Func<T, string> personOf, Func<string, T> erased, Func<string, T>? unsealedText = null)
    : JsonConverter<T>, ISealedValues
{
    public IPersonalDataKeys Keys => keys;

    private readonly PersonalDataSealer _sealer = new(keys);
    private JsonSerializerOptions? _inner;

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.String && unsealedText is not null)
        {
            return unsealedText(root.GetString()!);
        }

        if (!root.TryGetProperty("sealed", out var sealedElement))
        {
            // Not sealed (e.g. written before sealing existed): read as is.
            return root.Deserialize<T>(Inner(options));
        }

        var person = root.GetProperty("person").GetString() ?? "";
        var plain = _sealer.Unseal(person, sealedElement.GetBytesFromBase64());
        return plain is null ? erased(person) : JsonSerializer.Deserialize<T>(plain, Inner(options));
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        var person = personOf(value);
        var blob = _sealer.Seal(person, JsonSerializer.SerializeToUtf8Bytes(value, Inner(options)));
        writer.WriteStartObject();
        writer.WriteString("person", person);
        writer.WriteBase64String("sealed", blob);
        writer.WriteEndObject();
    }

    private JsonSerializerOptions Inner(JsonSerializerOptions options)
    {
        if (_inner is null)
        {
            var inner = new JsonSerializerOptions(options);
            inner.Converters.Remove(this);
            _inner = inner;
        }

        return _inner;
    }
}
