using System.Text.Json;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.EventStore;
using Logistics.EventStore.Serialization;

namespace Logistics.Perf.Store;

/// <summary>
/// The payload every variant writes: a parcel deposit as our serializer stores it (about 400 bytes of JSON), with a
/// fresh event id per event. References get the same strings, metadata included, already serialised.
/// </summary>
internal sealed class SampleEvents
{
    // The store writes metadata with web defaults; the references get the same JSON.
    private static readonly JsonSerializerOptions MetadataOptions = new(JsonSerializerDefaults.Web);

    public SampleEvents()
    {
        var serializer = new EventSerializer(
            new EventTypeRegistry().RegisterAllDerivedFrom(typeof(ParcelEvent)), null, [typeof(ParcelEvent).Assembly]);
        var at = new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.FromHours(1));
        var deposited = new ParcelDeposited(
            new ParcelId("01JQ7Z5W3K8V2N6R4T9Y0B1C2D"),
            new CourierId("courier-lea"),
            new LockerId("locker-place-du-martroi"),
            17,
            "hmac-sha256:8f3c9a1e5b7d2f4061a8c3e9b5d7f1a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4",
            at.AddDays(3),
            at.AddDays(2),
            at.AddDays(3),
            at);
        var metadata = new EventMetadata(at, "courier", "courier-lea", Guid.Parse("0195b3c4-1d2e-7f80-9a1b-2c3d4e5f6a7b"));
        Template = serializer.ToEventData(deposited, metadata, Guid.Empty);
        MetadataJson = JsonSerializer.Serialize(metadata, MetadataOptions);
    }

    public EventData Template { get; }

    public string MetadataJson { get; }

    public EventData[] Fresh(int count)
    {
        var events = new EventData[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = Template with { EventId = Guid.CreateVersion7() };
        }

        return events;
    }
}
