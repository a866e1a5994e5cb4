using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Logistics.EventStore.PersonalData;

/// <summary>
/// Writes a personal-data value as <c>{"person": id, "sealed": base64}</c>, encrypted with AES-GCM under the
/// person's key (the person id is authenticated as associated data). Reading it back after the key was erased
/// yields <c>erased(personId)</c>: history still replays, the data is gone.
/// </summary>
public sealed class PersonalDataConverter<T>(IPersonalDataKeys keys, Func<T, string> personOf, Func<string, T> erased)
    : JsonConverter<T>
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private JsonSerializerOptions? _inner;

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (!root.TryGetProperty("sealed", out var sealedElement))
        {
            // Not sealed (e.g. written before sealing existed): read as is.
            return root.Deserialize<T>(Inner(options));
        }

        var person = root.GetProperty("person").GetString() ?? "";
        var key = keys.Find(person);
        if (key is null)
        {
            return erased(person);
        }

        var blob = sealedElement.GetBytesFromBase64();
        var plain = new byte[blob.Length - NonceSize - TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(person));
        }

        return JsonSerializer.Deserialize<T>(plain, Inner(options));
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        var person = personOf(value);
        var key = keys.GetOrCreate(person);
        var plain = JsonSerializer.SerializeToUtf8Bytes(value, Inner(options));
        var blob = new byte[NonceSize + TagSize + plain.Length];
        RandomNumberGenerator.Fill(blob.AsSpan(0, NonceSize));
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(blob.AsSpan(0, NonceSize), plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(person));
        }

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
