using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Logistics.Application.Streams;
using Logistics.Domain.Rounds;
using Logistics.EventStore;
using Logistics.EventStore.PersonalData;
using Logistics.EventStore.Serialization;
using Logistics.Testing.History;

namespace Logistics.Perf.Benchmarks;

/// <summary>
/// Decoding a day's round plans and re-plans as a rebuild reads them (the JSON in jsonb's key order, personal data
/// sealed): the heaviest events of the log, each carrying every stop. Run with
/// <c>dotnet run -c Release --project perf/Logistics.Perf -- --filter *RoundDecode*</c>.
/// </summary>
[MemoryDiagnoser]
public class RoundDecodeBenchmarks
{
    private EventSerializer _serializer = null!;
    private RecordedEvent[] _planned = [];
    private RecordedEvent[] _replanned = [];

    [GlobalSetup]
    public void Setup() => (_serializer, _planned, _replanned) = Load(50);

    [Benchmark]
    public int ReadRoundPlanned() => Read(_planned);

    [Benchmark]
    public int ReadRoundReplanned() => Read(_replanned);

    /// <summary>The first <paramref name="count"/> plans and re-plans of a département's history, stored as jsonb returns them.</summary>
    public static (EventSerializer Serializer, RecordedEvent[] Planned, RecordedEvent[] Replanned) Load(int count)
    {
        var serializer = DomainEvents.Serializer(new InMemoryPersonalDataKeys());
        var events = new DepartementHistory(HistoryShape.Departement(2)).Appends().SelectMany(a => a.Events.Select(e => (a, e)));
        var planned = new List<RecordedEvent>();
        var replanned = new List<RecordedEvent>();
        foreach (var (append, e) in events)
        {
            var list = e switch { RoundPlanned => planned, RoundReplanned => replanned, _ => null };
            if (list is null || list.Count >= count)
            {
                if (planned.Count >= count && replanned.Count >= count)
                {
                    break;
                }

                continue;
            }

            var data = serializer.ToEventData(e, append.Metadata);
            var json = AsJsonb(JsonNode.Parse(data.Data)!)!.ToJsonString(Jsonb);
            list.Add(new RecordedEvent(data.EventId, append.Stream, 1, new GlobalPosition(1, 1), data.EventType, data.SchemaVersion, json, data.Metadata, append.Metadata.OccurredAt));
        }

        return (serializer, [.. planned], [.. replanned]);
    }

    private int Read(RecordedEvent[] events)
    {
        var n = 0;
        foreach (var e in events)
        {
            n += _serializer.Deserialize(e) is RoundEvent ? 1 : 0;
        }

        return n;
    }

    // jsonb returns strings escaped only where JSON needs it (a sealed value's "+" as is).
    private static readonly JsonSerializerOptions Jsonb = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // jsonb keeps an object's keys shortest first, then bytewise.
    private static JsonNode? AsJsonb(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => Encoding.UTF8.GetByteCount(p.Key)).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, AsJsonb(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(AsJsonb)]),
        _ => node?.DeepClone(),
    };
}
