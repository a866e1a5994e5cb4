using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.EventStore;
using Logistics.EventStore.PersonalData;
using Logistics.EventStore.Serialization;

namespace Logistics.Perf.Benchmarks;

/// <summary>
/// Events to stored JSON and back through <see cref="EventSerializer"/>: a plain event, one carrying sealed personal
/// data (AES-GCM under the person's key), a locker with 60 compartments, and an event stored in an older shape
/// that is upcast when read. Run with <c>dotnet run -c Release --project perf/Logistics.Perf -- --filter *Serializer*</c>.
/// </summary>
[MemoryDiagnoser]
public class SerializerBenchmarks
{
    private static readonly EventMetadata Metadata = new(Streams.Start, "courier", "courier-lea", Guid.Parse("0195b3c4-1d2e-7f80-9a1b-2c3d4e5f6a7b"));
    private static readonly Guid EventId = Guid.Parse("0195b3c4-1d2e-7f80-9a1b-000000000001");

    private readonly EventSerializer _serializer = Create();
    private RecordedEvent _deposited = null!;
    private RecordedEvent _registered = null!;
    private RecordedEvent _locker = null!;
    private RecordedEvent _reminderV1 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _deposited = Recorded(_serializer.ToEventData(Streams.Deposited, Metadata, EventId));
        _registered = Recorded(_serializer.ToEventData(Streams.Registered, Metadata, EventId));
        _locker = Recorded(_serializer.ToEventData(Streams.LockerRegistered, Metadata, EventId));
        // A made-up version 1 of ReminderSent without the deadline, to measure the upcasting read path.
        var current = JsonNode.Parse(_serializer.ToEventData(new ReminderSent(Streams.Parcel, Streams.Start.AddDays(3), Streams.Start), Metadata, EventId).Data)!.AsObject();
        current.Remove("collectBy");
        _reminderV1 = Recorded(new EventData(EventId, nameof(ReminderSent), 1, current.ToJsonString(), Metadata));
    }

    [Benchmark]
    public EventData WriteDeposited() => _serializer.ToEventData(Streams.Deposited, Metadata, EventId);

    [Benchmark]
    public object ReadDeposited() => _serializer.Deserialize(_deposited);

    [Benchmark]
    public EventData WriteRegisteredWithPersonalData() => _serializer.ToEventData(Streams.Registered, Metadata, EventId);

    [Benchmark]
    public object ReadRegisteredWithPersonalData() => _serializer.Deserialize(_registered);

    [Benchmark]
    public EventData WriteLockerRegistered() => _serializer.ToEventData(Streams.LockerRegistered, Metadata, EventId);

    [Benchmark]
    public object ReadLockerRegistered() => _serializer.Deserialize(_locker);

    [Benchmark]
    public object ReadUpcastReminder() => _serializer.Deserialize(_reminderV1);

    private static EventSerializer Create()
    {
        var registry = new EventTypeRegistry()
            .RegisterAllDerivedFrom(typeof(ParcelEvent))
            .RegisterAllDerivedFrom(typeof(LockerEvent))
            .Register<ReminderSent>(version: 2)
            .Upcast(nameof(ReminderSent), 1, v1 =>
            {
                // The made-up version 1 had no deadline: take three days after the reminder.
                var at = v1["at"]!.GetValue<DateTimeOffset>();
                v1["collectBy"] = at.AddDays(3);
                return v1;
            });
        var keys = new InMemoryPersonalDataKeys();
        return new EventSerializer(
            registry,
            [new PersonalDataConverter<Recipient>(keys, r => r.Person.Value, id => new Recipient(new PersonId(id), "[erased]", null, null, null))],
            [typeof(ParcelEvent).Assembly]);
    }

    private static RecordedEvent Recorded(EventData data) =>
        new(data.EventId, "parcel-" + Streams.Parcel.Value, 1, new GlobalPosition(1, 1), data.EventType, data.SchemaVersion, data.Data, data.Metadata, Streams.Start);
}
