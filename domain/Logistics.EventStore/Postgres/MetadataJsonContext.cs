using System.Text.Json;
using System.Text.Json.Serialization;

namespace Logistics.EventStore.Postgres;

/// <summary>Events' metadata as stored (web defaults: camelCase), with the serialiser generated at build time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EventMetadata))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
