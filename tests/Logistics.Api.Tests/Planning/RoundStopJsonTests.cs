using System.Text;
using System.Text.Json.Nodes;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;
using Logistics.EventStore;
using Logistics.EventStore.PersonalData;
using Logistics.EventStore.Serialization;
using Logistics.Testing.History;

namespace Logistics.Api.Tests.Planning;

/// <summary>
/// Round plans' stops and unsealed recipients are read by converters of their own (<see cref="RoundStopConverter"/>,
/// <see cref="RecipientConverter"/>) rather than the general path: they must write what the general path writes and read back exactly what it read, from JSON as jsonb returns
/// it (keys reordered) and from stops stored before some fields existed.
/// </summary>
public sealed class RoundStopJsonTests
{
    private static readonly EventMetadata Metadata = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), "system", "planner", Guid.NewGuid());

    private readonly InMemoryPersonalDataKeys _keys = new();

    [Fact]
    public void RoundPlansOfAGeneratedHistoryWriteAndReadAsTheGeneralPathDoes()
    {
        var ours = DomainEvents.Serializer(_keys);
        var general = GeneralSerializer();
        var rounds = new DepartementHistory(HistoryShape.Small).Appends()
            .SelectMany(a => a.Events).Where(e => e is RoundPlanned or RoundReplanned).Take(40).ToList();
        Assert.Contains(rounds, e => e is RoundPlanned p && p.Stops.Any(s => s.Place is StopPlace.Home));
        Assert.Contains(rounds, e => e is RoundPlanned p && p.Stops.Any(s => s.Place is StopPlace.Shop));
        Assert.Contains(rounds, e => e is RoundPlanned p && p.Stops.Any(s => s.Place is StopPlace.Locker));

        foreach (var e in rounds)
        {
            var written = ours.ToEventData(e, Metadata);
            var expected = general.ToEventData(e, Metadata);

            // Sealing is randomised: the same JSON apart from the sealed values.
            Assert.Equal(WithoutSealed(expected.Data), WithoutSealed(written.Data));

            var stored = Stored(written.EventType, AsJsonb(written.Data));
            var read = ours.Deserialize(stored);
            Assert.Equal(e.GetType(), read.GetType());
            Assert.Equal(Plain(general.Deserialize(stored)), Plain(read));
            Assert.Equal(Plain(e), Plain(read));
        }
    }

    [Fact]
    public void AStopStoredBeforePromisesAndBreaksReadsWithoutThemAndNamesReadInAnyCase()
    {
        var ours = DomainEvents.Serializer(_keys);
        const string json = """
            {"roundId":{"value":"R1","stream":"round-R1"},"courier":"C1","distanceKm":2.5,"at":"2026-03-02T07:00:00+00:00",
             "stops":[{"StopId":"s1","extra":{"nested":[1,2]},"Place":{"name":"Épicerie","position":{"longitude":5.5,"latitude":43.2},"id":"S1","$type":"Shop"},
                       "parcels":[{"size":"M","kind":"PickUp","parcel":"P1"}],"window":null,"plannedArrival":"2026-03-02T08:00:00\u002B00:00"}]}
            """;
        var read = (RoundPlanned)ours.Deserialize(Stored(nameof(RoundPlanned), json));

        var stop = Assert.Single(read.Stops);
        Assert.Equal("s1", stop.StopId);
        Assert.Equal(new StopPlace.Shop(new ShopId("S1"), "Épicerie", new GeoPoint(43.2, 5.5)), stop.Place);
        Assert.Equal(new ParcelTask(new ParcelId("P1"), TaskKind.PickUp, ParcelSize.M), Assert.Single(stop.Parcels));
        Assert.Null(stop.Window);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), stop.PlannedArrival);
        Assert.Null(stop.PromisedBy);
        Assert.Null(stop.LateBy);
        Assert.Null(stop.Break);
    }

    [Fact]
    public async Task AHomeStopOfAnErasedRecipientReadsAsErased()
    {
        var ours = DomainEvents.Serializer(_keys);
        var person = new PersonId("person-1");
        var home = new HomeAddress("3 rue Nationale", "37400", "Amboise", new GeoPoint(47.41, 0.98));
        var stop = new RoundStop(
            "s1",
            new StopPlace.Home(new Recipient(person, "Camille Martin", "+33600000000", null, home)),
            [new ParcelTask(new ParcelId("P1"), TaskKind.Deliver, ParcelSize.S)],
            new TimeWindow(Metadata.OccurredAt, Metadata.OccurredAt.AddHours(2)),
            Metadata.OccurredAt.AddMinutes(30))
        {
            PromisedBy = Metadata.OccurredAt.AddHours(1),
            LateBy = TimeSpan.FromMinutes(4),
            Break = new RoundBreak(Metadata.OccurredAt.AddMinutes(40), TimeSpan.FromMinutes(20), BeforeStop: true),
        };
        var planned = new RoundPlanned(new RoundId("R1"), new CourierId("C1"), [stop], 1.5, Metadata.OccurredAt);
        var written = ours.ToEventData(planned, Metadata);
        Assert.DoesNotContain("Camille", written.Data, StringComparison.Ordinal);

        // Sealed, the recipient is written as the general path wrote it.
        var plain = JsonOptions.Create();
        plain.Converters.Add(new RecipientConverter());
        var recipient = ((StopPlace.Home)stop.Place).Recipient;
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(recipient, JsonOptions.Create()), System.Text.Json.JsonSerializer.Serialize(recipient, plain));
        Assert.Equal(recipient with { Address = null }, System.Text.Json.JsonSerializer.Deserialize<Recipient>(System.Text.Json.JsonSerializer.Serialize(recipient with { Address = null }, plain), plain));

        var before = ((RoundPlanned)ours.Deserialize(Stored(nameof(RoundPlanned), AsJsonb(written.Data)))).Stops[0];
        Assert.Equal(Plain(stop), Plain(before));

        await _keys.EraseAsync(person.Value);
        var after = ((RoundPlanned)ours.Deserialize(Stored(nameof(RoundPlanned), AsJsonb(written.Data)))).Stops[0];
        var erased = Assert.IsType<StopPlace.Home>(after.Place).Recipient;
        Assert.Equal(DomainEvents.Erased, erased.Name);
        Assert.Null(erased.Address);
        Assert.Equal(stop.Break, after.Break);
        Assert.Equal(stop.Window, after.Window);
    }

    /// <summary>The serializer as it was before the stops' own converter: the general path.</summary>
    private EventSerializer GeneralSerializer() => new(
        DomainEvents.Registry(),
        [
            new PersonalDataConverter<Recipient>(_keys, r => r.Person.Value, DomainEvents.ErasedRecipient),
            new PersonalDataConverter<PersonalText>(_keys, t => t.Person.Value, DomainEvents.ErasedText, DomainEvents.UnsealedText),
        ],
        [typeof(ParcelEvent).Assembly]);

    // The event as plain JSON, with nothing sealed: what a reader of it sees.
    private static string Plain(object value) => System.Text.Json.JsonSerializer.Serialize(value, value.GetType(), JsonOptions.Create(polymorphicAssemblies: [typeof(ParcelEvent).Assembly]));

    private static string WithoutSealed(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "\"sealed\":\"[^\"]*\"", "\"sealed\":\"…\"");

    private static RecordedEvent Stored(string type, string json) =>
        new(Guid.NewGuid(), "round-R1", 1, new GlobalPosition(1, 1), type, 1, json, Metadata, Metadata.OccurredAt);

    // jsonb keeps an object's keys shortest first, then bytewise.
    private static string AsJsonb(string json) => Reorder(JsonNode.Parse(json))!.ToJsonString();

    private static JsonNode? Reorder(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => Encoding.UTF8.GetByteCount(p.Key)).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Reorder(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Reorder)]),
        _ => node?.DeepClone(),
    };
}
