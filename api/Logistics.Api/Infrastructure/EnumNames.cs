using System.Text.Json;
using System.Text.Json.Serialization;

namespace Logistics.Api.Infrastructure;

/// <summary>
/// Enums in requests by one of their names only: not an integer (<c>"size": 7</c>), not a numeric string
/// (<c>"7"</c>), not a list of names (<c>"S, M"</c>, which <see cref="JsonStringEnumConverter"/> reads as the flags
/// combined, a size that happens to exist). Names match ignoring case; answers write the name as it is declared.
/// </summary>
public sealed class EnumNamesConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(EnumNamesConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class EnumNamesConverter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly Dictionary<string, T> ByName =
            Enum.GetValues<T>().ToDictionary(v => v.ToString(), v => v, StringComparer.OrdinalIgnoreCase);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? Parse(reader.GetString()) : throw Refused();

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(value.ToString());

        private static T Parse(string? name) => name is not null && ByName.TryGetValue(name, out var value) ? value : throw Refused();

        private static JsonException Refused() => new($"Expected one of {string.Join(", ", ByName.Keys)}.");
    }
}
