using System.Buffers;
using System.Buffers.Text;
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

    /// <summary>
    /// Reads <c>{"person", "sealed"}</c> straight from the reader: the sealed bytes decoded and unsealed into pooled
    /// buffers (a rebuild reads millions of these; a document per value and its copies were a large share of its work).
    /// </summary>
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && unsealedText is not null)
        {
            return unsealedText(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return JsonSerializer.Deserialize<T>(ref reader, Inner(options));
        }

        var start = reader;
        string? person = null;
        var found = false;
        var sealedValue = default(Utf8JsonReader);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPerson = reader.ValueTextEquals("person"u8);
            var isSealed = !isPerson && reader.ValueTextEquals("sealed"u8);
            reader.Read();
            if (isPerson && reader.TokenType == JsonTokenType.String)
            {
                person = reader.GetString();
            }
            else if (isSealed && reader.TokenType == JsonTokenType.String)
            {
                found = true;
                sealedValue = reader;
            }
            else
            {
                reader.Skip();
            }
        }

        if (!found)
        {
            // Not sealed (e.g. written before sealing existed): read as is.
            return JsonSerializer.Deserialize<T>(ref start, Inner(options));
        }

        person ??= "";
        return TryUnseal(person, ref sealedValue, Inner(options), out var value) ? value : erased(person);
    }

    /// <summary>The value sealed in the base64 string the reader is on; false when the person's key was erased.</summary>
    private bool TryUnseal(string person, ref Utf8JsonReader sealedValue, JsonSerializerOptions inner, out T? value)
    {
        var encoded = sealedValue.HasValueSequence || sealedValue.ValueIsEscaped ? sealedValue.GetBytesFromBase64() : null;
        var length = encoded?.Length ?? Base64.GetMaxDecodedFromUtf8Length(sealedValue.ValueSpan.Length);
        var blob = ArrayPool<byte>.Shared.Rent(length);
        var plain = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (encoded is not null)
            {
                encoded.CopyTo(blob, 0);
            }
            else if (Base64.DecodeFromUtf8(sealedValue.ValueSpan, blob, out _, out length) != OperationStatus.Done)
            {
                throw new JsonException("A sealed value is not base64.");
            }

            var written = _sealer.TryUnseal(person, blob.AsSpan(0, length), plain);
            value = written < 0 ? default : JsonSerializer.Deserialize<T>(plain.AsSpan(0, written), inner);
            return written >= 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(blob);
            ArrayPool<byte>.Shared.Return(plain, clearArray: true);
        }
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
