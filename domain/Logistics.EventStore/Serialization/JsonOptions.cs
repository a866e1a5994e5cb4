using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Logistics.EventStore.Serialization;

/// <summary>JSON settings shared by stored events and the API, so the domain needs no serialisation attributes.</summary>
public static class JsonOptions
{
    public static JsonSerializerOptions Create(
        IEnumerable<JsonConverter>? converters = null, IEnumerable<Assembly>? polymorphicAssemblies = null)
    {
        var assemblies = polymorphicAssemblies?.ToArray() ?? [];
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { info => AddDerivedTypes(info, assemblies) } },

            // PostgreSQL's jsonb reorders keys, so "$type" is not always first when read back.
            AllowOutOfOrderMetadataProperties = true,
        };
        Configure(options, converters);
        return options;
    }

    /// <summary>Adds our converters to options made elsewhere (e.g. ASP.NET Core's).</summary>
    public static void Configure(JsonSerializerOptions options, IEnumerable<JsonConverter>? converters = null)
    {
        foreach (var converter in converters ?? [])
        {
            options.Converters.Add(converter);
        }

        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new SingleStringIdConverterFactory());
    }

    /// <summary>Polymorphism modifier: abstract records of our assemblies serialise their concrete subclasses with "$type".</summary>
    public static Action<JsonTypeInfo> DerivedTypesModifier(IEnumerable<Assembly> assemblies)
    {
        var list = assemblies.ToArray();
        return info => AddDerivedTypes(info, list);
    }

    private static void AddDerivedTypes(JsonTypeInfo info, Assembly[] assemblies)
    {
        var type = info.Type;
        if (!type.IsAbstract || type.IsInterface || type.IsGenericType || !assemblies.Contains(type.Assembly) || info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        var derived = type.Assembly.GetTypes()
            .Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition && type.IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();
        if (derived.Length == 0)
        {
            return;
        }

        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "$type",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
        };
        foreach (var t in derived)
        {
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(t, t.Name));
        }
    }
}
