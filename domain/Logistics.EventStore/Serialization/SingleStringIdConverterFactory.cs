using System.Linq.Expressions;
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

    /// <summary>
    /// Reads and writes one id type through compiled delegates: a rebuild reads millions of ids, and a reflection
    /// call each (an argument array and a boxed id) was a large share of its decoding.
    /// </summary>
    private sealed class IdConverter<T> : JsonConverter<T>
        where T : struct
    {
        private static readonly Func<string?, T> Create = CompileCreate();
        private static readonly Func<T, string?> ValueOf = CompileValueOf();

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Create(reader.GetString());

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(ValueOf(value));

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Create(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WritePropertyName(ValueOf(value) ?? "");

        private static Func<string?, T> CompileCreate()
        {
            var text = Expression.Parameter(typeof(string), "value");
            return Expression.Lambda<Func<string?, T>>(Expression.New(Constructor(typeof(T))!, text), text).Compile();
        }

        private static Func<T, string?> CompileValueOf()
        {
            var id = Expression.Parameter(typeof(T), "id");
            return Expression.Lambda<Func<T, string?>>(Expression.Property(id, "Value"), id).Compile();
        }
    }
}
