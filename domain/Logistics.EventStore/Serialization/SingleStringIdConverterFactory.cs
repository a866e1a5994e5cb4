using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Logistics.EventStore.Serialization;

/// <summary>
/// Writes value types that wrap one string (<c>record struct ParcelId(string Value)</c>) as that string, so ids
/// read naturally in stored JSON and in the API.
/// </summary>
public sealed class SingleStringIdConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => Constructor(typeToConvert) is not null;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(IdConverter<>).MakeGenericType(typeToConvert))!;

    private static ConstructorInfo? Constructor(Type type)
    {
        if (!type.IsValueType || type.IsPrimitive || type.IsEnum || Nullable.GetUnderlyingType(type) is not null)
        {
            return null;
        }

        var value = type.GetProperty("Value", BindingFlags.Public | BindingFlags.Instance);
        if (value?.PropertyType != typeof(string))
        {
            return null;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        return properties.Length == 1 ? type.GetConstructor([typeof(string)]) : null;
    }

    private sealed class IdConverter<T> : JsonConverter<T>
        where T : struct
    {
        private static readonly ConstructorInfo Ctor = Constructor(typeof(T))!;
        private static readonly PropertyInfo Value = typeof(T).GetProperty("Value")!;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            (T)Ctor.Invoke([reader.GetString()]);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue((string?)Value.GetValue(value));

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            (T)Ctor.Invoke([reader.GetString()]);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WritePropertyName((string?)Value.GetValue(value) ?? "");
    }
}
