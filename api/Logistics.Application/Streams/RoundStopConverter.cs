using System.Text.Json;
using System.Text.Json.Serialization;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Streams;

/// <summary>
/// Reads a round's stops straight from the reader. Every round plan and re-plan carries all its stops (a département's
/// day: ~150 each, 80 KB of JSON), and the general path made them the dearest events of the log to read: a stop's
/// parameterised constructor boxes its arguments, and its place's <c>"$type"</c>, which jsonb stores after
/// <c>"id"</c> and <c>"name"</c>, had the place read twice. Writes exactly what the general path writes, and reads
/// what it read: names in any case and order, unknown ones skipped, a missing optional one as null.
/// </summary>
public sealed class RoundStopConverter : JsonConverter<RoundStop>
{
    private Parts? _parts;

    public override RoundStop Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonReading.Expect(reader, JsonTokenType.StartObject);
        var parts = Parts.Of(ref _parts, options);
        string? stopId = null;
        StopPlace? place = null;
        List<ParcelTask>? parcels = null;
        TimeWindow? window = null;
        DateTimeOffset? plannedArrival = null;
        DateTimeOffset? promisedBy = null;
        TimeSpan? lateBy = null;
        RoundBreak? rest = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonReading.Name(ref reader, StopNames);
            reader.Read();
            switch (name)
            {
                case 0:
                    stopId = reader.GetString();
                    break;
                case 1:
                    place = reader.TokenType == JsonTokenType.Null ? null : ReadPlace(ref reader, parts, options);
                    break;
                case 2:
                    parcels = reader.TokenType == JsonTokenType.Null ? null : ReadParcels(ref reader, parts, options);
                    break;
                case 3:
                    window = reader.TokenType == JsonTokenType.Null ? null : ReadWindow(ref reader);
                    break;
                case 4:
                    plannedArrival = reader.GetDateTimeOffset();
                    break;
                case 5:
                    promisedBy = reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset();
                    break;
                case 6:
                    lateBy = reader.TokenType == JsonTokenType.Null ? null : JsonSerializer.Deserialize<TimeSpan>(ref reader, options);
                    break;
                case 7:
                    rest = reader.TokenType == JsonTokenType.Null ? null : JsonSerializer.Deserialize<RoundBreak>(ref reader, options);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonReading.Expect(reader, JsonTokenType.EndObject);
        return new RoundStop(
            stopId ?? throw new JsonException("A round stop has no stopId."),
            place ?? throw new JsonException($"Round stop '{stopId}' has no place."),
            parcels ?? throw new JsonException($"Round stop '{stopId}' has no parcels."),
            window,
            plannedArrival ?? throw new JsonException($"Round stop '{stopId}' has no plannedArrival."))
        {
            PromisedBy = promisedBy,
            LateBy = lateBy,
            Break = rest,
        };
    }

    public override void Write(Utf8JsonWriter writer, RoundStop value, JsonSerializerOptions options)
    {
        var naming = options.PropertyNamingPolicy;
        string N(string name) => naming?.ConvertName(name) ?? name;
        writer.WriteStartObject();
        writer.WriteString(N(nameof(RoundStop.StopId)), value.StopId);
        writer.WritePropertyName(N(nameof(RoundStop.Place)));
        JsonSerializer.Serialize(writer, value.Place, options);
        writer.WritePropertyName(N(nameof(RoundStop.Parcels)));
        JsonSerializer.Serialize(writer, value.Parcels, options);
        writer.WritePropertyName(N(nameof(RoundStop.Window)));
        JsonSerializer.Serialize(writer, value.Window, options);
        writer.WritePropertyName(N(nameof(RoundStop.PlannedArrival)));
        JsonSerializer.Serialize(writer, value.PlannedArrival, options);
        writer.WritePropertyName(N(nameof(RoundStop.PromisedBy)));
        JsonSerializer.Serialize(writer, value.PromisedBy, options);
        writer.WritePropertyName(N(nameof(RoundStop.LateBy)));
        JsonSerializer.Serialize(writer, value.LateBy, options);
        writer.WritePropertyName(N(nameof(RoundStop.Break)));
        JsonSerializer.Serialize(writer, value.Break, options);
        writer.WriteEndObject();
    }

    private static readonly byte[][] StopNames = JsonReading.Utf8("stopId", "place", "parcels", "window", "plannedArrival", "promisedBy", "lateBy", "break");
    private static readonly byte[][] PlaceNames = JsonReading.Utf8("$type", "id", "name", "position", "recipient");
    private static readonly byte[][] WindowNames = JsonReading.Utf8("from", "to");
    private static readonly byte[][] TaskNames = JsonReading.Utf8("parcel", "kind", "size", "compartment");

    private static StopPlace ReadPlace(ref Utf8JsonReader reader, Parts parts, JsonSerializerOptions options)
    {
        JsonReading.Expect(reader, JsonTokenType.StartObject);

        // The discriminator first, wherever it stands (jsonb puts it after the shorter names): a copy of the reader
        // looks it up, the reader itself then reads the place once.
        var scan = reader;
        string? type = null;
        while (scan.Read() && scan.TokenType == JsonTokenType.PropertyName)
        {
            var isType = scan.ValueTextEquals("$type"u8);
            scan.Read();
            if (isType && scan.TokenType == JsonTokenType.String)
            {
                type = scan.GetString();
                break;
            }

            scan.Skip();
        }

        if (type is not (nameof(StopPlace.Home) or nameof(StopPlace.Shop) or nameof(StopPlace.Locker)))
        {
            // Not a place this reader knows: the general path says why.
            return JsonSerializer.Deserialize<StopPlace>(ref reader, options) ?? throw new JsonException("A round stop's place is null.");
        }

        string? id = null;
        string? name = null;
        GeoPoint? position = null;
        Recipient? recipient = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = JsonReading.Name(ref reader, PlaceNames);
            reader.Read();
            switch (property)
            {
                case 1:
                    id = reader.GetString();
                    break;
                case 2:
                    name = reader.GetString();
                    break;
                case 3:
                    position = JsonReading.ReadPoint(ref reader);
                    break;
                case 4:
                    recipient = reader.TokenType == JsonTokenType.Null ? null : parts.Recipient.Read(ref reader, typeof(Recipient), options);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        JsonReading.Expect(reader, JsonTokenType.EndObject);
        return type switch
        {
            nameof(StopPlace.Home) => new StopPlace.Home(recipient ?? throw new JsonException("A home stop has no recipient.")),
            nameof(StopPlace.Shop) => new StopPlace.Shop(new ShopId(Required(id, "id")), Required(name, "name"), position ?? throw new JsonException("A shop stop has no position.")),
            _ => new StopPlace.Locker(new LockerId(Required(id, "id")), Required(name, "name"), position ?? throw new JsonException("A locker stop has no position.")),
        };
    }

    private static TimeWindow ReadWindow(ref Utf8JsonReader reader)
    {
        JsonReading.Expect(reader, JsonTokenType.StartObject);
        DateTimeOffset? from = null;
        DateTimeOffset? to = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = JsonReading.Name(ref reader, WindowNames);
            reader.Read();
            switch (property)
            {
                case 0:
                    from = reader.GetDateTimeOffset();
                    break;
                case 1:
                    to = reader.GetDateTimeOffset();
                    break;
                default:
                    // Its duration, written with it, follows from both.
                    reader.Skip();
                    break;
            }
        }

        JsonReading.Expect(reader, JsonTokenType.EndObject);
        return new TimeWindow(from ?? throw new JsonException("A stop's window has no start."), to ?? throw new JsonException("A stop's window has no end."));
    }

    private static List<ParcelTask> ReadParcels(ref Utf8JsonReader reader, Parts parts, JsonSerializerOptions options)
    {
        JsonReading.Expect(reader, JsonTokenType.StartArray);
        var tasks = new List<ParcelTask>(2);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            ParcelId? parcel = null;
            TaskKind? kind = null;
            ParcelSize? size = null;
            int? compartment = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = JsonReading.Name(ref reader, TaskNames);
                reader.Read();
                switch (property)
                {
                    case 0:
                        parcel = parts.ParcelId.Read(ref reader, typeof(ParcelId), options);
                        break;
                    case 1:
                        kind = parts.Kind.Read(ref reader, typeof(TaskKind), options);
                        break;
                    case 2:
                        size = parts.Size.Read(ref reader, typeof(ParcelSize), options);
                        break;
                    case 3:
                        compartment = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            JsonReading.Expect(reader, JsonTokenType.EndObject);
            tasks.Add(new ParcelTask(
                parcel ?? throw new JsonException("A stop's parcel task has no parcel."),
                kind ?? throw new JsonException($"The task of parcel '{parcel}' has no kind."),
                size ?? throw new JsonException($"The task of parcel '{parcel}' has no size."),
                compartment));
        }

        JsonReading.Expect(reader, JsonTokenType.EndArray);
        return tasks;
    }

    private static string Required(string? value, string name) => value ?? throw new JsonException($"A round stop's place has no {name}.");

    /// <summary>The converters of the options for what a stop holds, looked up once.</summary>
    private sealed class Parts(JsonSerializerOptions options)
    {
        public JsonSerializerOptions Options { get; } = options;

        public JsonConverter<Recipient> Recipient { get; } = (JsonConverter<Recipient>)options.GetConverter(typeof(Recipient));

        public JsonConverter<ParcelId> ParcelId { get; } = (JsonConverter<ParcelId>)options.GetConverter(typeof(ParcelId));

        public JsonConverter<TaskKind> Kind { get; } = (JsonConverter<TaskKind>)options.GetConverter(typeof(TaskKind));

        public JsonConverter<ParcelSize> Size { get; } = (JsonConverter<ParcelSize>)options.GetConverter(typeof(ParcelSize));

        public static Parts Of(ref Parts? cached, JsonSerializerOptions options)
        {
            var parts = Volatile.Read(ref cached);
            if (parts is null || !ReferenceEquals(parts.Options, options))
            {
                parts = new Parts(options);
                Volatile.Write(ref cached, parts);
            }

            return parts;
        }
    }
}
