using System.Collections;
using System.Reflection;
using Logistics.Application.Schema;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Couriers;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;
using Logistics.Domain.Shops;
using Logistics.EventStore;
using Logistics.EventStore.PersonalData;
using Logistics.EventStore.Postgres;
using Logistics.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Logistics.Api.Tests.Privacy;

/// <summary>
/// Issue 11, class 14: free text typed about a parcel is the recipient's personal data. Every string any event holds,
/// at any depth, is found by reflection over the event types: it is either sealed (a <see cref="PersonalText"/>, or
/// inside the <see cref="Recipient"/>) or listed below with why it is not, so a new unsealed reason fails here. Every
/// event with a sealed text is then written to PostgreSQL, where its stored JSON must not hold the text, and read back
/// as erased once its person is erased.
/// </summary>
public sealed class SealedReasonsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Identifier = "an id, a digest or a code's verifier: no free text";
    private const string Place = "the name or address of a shop, locker or stop: public, not a person's";

    /// <summary>The strings events hold in clear, and why. Anything else must be sealed.</summary>
    private static readonly Dictionary<string, string> Plain = new()
    {
        ["ParcelId.Value"] = Identifier,
        ["ShopId.Value"] = Identifier,
        ["LockerId.Value"] = Identifier,
        ["CourierId.Value"] = Identifier,
        ["PersonId.Value"] = Identifier + " (the pseudonymous key id, kept so that history replays as erased)",
        ["RoundId.Value"] = Identifier,
        ["RoundId.Stream"] = Identifier,
        ["ParcelRegistered.TrackingId"] = Identifier,
        ["ParcelRegistered.Reference"] = "the shop's own number for the parcel (a web store's order id): an identifier (InputLimits.IsId), never free text",
        ["ParcelDeposited.PickupCodeHash"] = Identifier,
        ["ParcelDeposited.LockerCodeVerifier"] = Identifier,
        ["ParcelDepositedAtRelay.PickupCodeHash"] = Identifier,
        ["DeliveryProof.Id"] = Identifier + " (its row in delivery_proofs, where the photo, the signature and the name are sealed)",
        ["PickupCodeReissued.PickupCodeHash"] = Identifier,
        ["PickupCodeReissued.LockerCodeVerifier"] = Identifier,
        ["RoundStop.StopId"] = Identifier,
        ["ParcelActionDone.StopId"] = Identifier,
        ["StopFailed.StopId"] = Identifier,
        ["StopCompleted.StopId"] = Identifier,
        ["LockerRegistered.Name"] = Place,
        ["LockerRegistered.Address"] = Place,
        ["ShopRegistered.Name"] = Place,
        ["ShopRegistered.Address"] = Place,
        ["Shop.Name"] = Place,
        ["Locker.Name"] = Place,
        ["CourierRegistered.Name"] = "a courier's name: staff, shown to operators, not a recipient's data",
        ["RoundChange.CourierName"] = "a courier's name: staff, as in CourierRegistered",
        ["CompartmentFreed.Reason"] = "written by the core (the repair job, the parcel's own journey), never typed by a person",
        ["ReservationCancelled.Reason"] = "written by the core (planner, repair job), never typed by a person",
        ["CompartmentTakenOutOfService.Reason"] = "typed by an operator about a free compartment: no parcel, so no recipient's key",
        ["CourierDeactivated.Reason"] = "about the courier (staff), no parcel and no recipient",
        ["RoundCancelled.Reason"] = "written by the planner about the round (the shift ended, nothing left to do)",
    };

    private static readonly Type[] EventBases = [typeof(ParcelEvent), typeof(LockerEvent), typeof(ShopEvent), typeof(CourierEvent), typeof(RoundEvent)];

    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 30, 0, TimeSpan.Zero);

    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = PostgresDataSource.Create(await PostgresServer.CreateDatabaseAsync("sealed"));
        await ApplicationSchema.EnsureAsync(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private static IEnumerable<Type> EventTypes() =>
        typeof(ParcelEvent).Assembly.GetTypes().Where(t => !t.IsAbstract && EventBases.Any(b => b.IsAssignableFrom(t))).OrderBy(t => t.Name);

    [Fact]
    public void EveryStringAnEventHoldsIsSealedOrListedWithWhyNot()
    {
        var strings = new SortedSet<string>(StringComparer.Ordinal);
        var sealedIn = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<Type>();
        foreach (var type in EventTypes())
        {
            Walk(type, strings, sealedIn, seen);
        }

        output.WriteLine($"sealed: {string.Join(", ", sealedIn)}");
        Assert.Empty(strings.Where(s => !Plain.ContainsKey(s)).Select(s => $"{s} is a string in clear: seal it (PersonalText) or list it in Plain with why"));
        Assert.Empty(Plain.Keys.Where(k => !strings.Contains(k)).Select(k => $"{k} is listed but no event holds it any more"));
        Assert.Contains("ParcelCancelled.Reason", sealedIn);
        Assert.Contains("ParcelRegistered.Recipient", sealedIn);
    }

    [Fact]
    public async Task EveryEventsFreeTextIsStoredSealedAndReadsAsErasedAfterItsPersonIsErased()
    {
        var person = new PersonId("person-" + Guid.NewGuid().ToString("N"));
        var store = new PostgresEventStore(_dataSource);
        var writer = DomainEvents.Serializer(new PostgresPersonalDataKeys(_dataSource, TestKeks.Shared));
        var samples = EventTypes().Where(t => SealedTexts(t).Any()).Select(t => Sample(t, person)).ToList();
        Assert.NotEmpty(samples);
        foreach (var (e, secret) in samples)
        {
            var written = writer.ToEventData(e, EventMetadata.System(T0));
            await store.AppendAsync($"sealed-{e.GetType().Name}", ExpectedVersion.NoStream, [written]);
        }

        var stored = await JsonOfAsync();
        foreach (var (e, secret) in samples)
        {
            var json = stored[$"sealed-{e.GetType().Name}"];
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
            Assert.Contains("sealed", json, StringComparison.Ordinal);
            Assert.Equal(secret, Texts(Read(e)).Single().Text);
        }

        await new PostgresPersonalDataKeys(_dataSource, TestKeks.Shared).EraseAsync(person.Value);

        foreach (var (e, _) in samples)
        {
            var text = Texts(Read(e)).Single();
            Assert.Equal((person, DomainEvents.Erased), (text.Person, text.Text));
        }

        output.WriteLine($"sealed and erased: {string.Join(", ", samples.Select(s => s.Event.GetType().Name))}");

        object Read(object e)
        {
            // A cold reader, as another node would be: nothing cached.
            var reader = DomainEvents.Serializer(new PostgresPersonalDataKeys(_dataSource, TestKeks.Shared));
            return reader.Deserialize(store.ReadStreamAsync($"sealed-{e.GetType().Name}").GetAwaiter().GetResult()[0]);
        }
    }

    [Fact]
    public void AReasonStoredBeforeReasonsWereSealedStillReads()
    {
        var serializer = DomainEvents.Serializer(new InMemoryPersonalDataKeys());
        var cancelled = new ParcelCancelled(new ParcelId("p-1"), new ShopId("s-1"), new PersonalText(new PersonId("person-1"), "sealed"), null, null, T0);
        var legacy = System.Text.Json.Nodes.JsonNode.Parse(serializer.ToEventData(cancelled, EventMetadata.System(T0)).Data)!;
        legacy["reason"] = "out of stock";

        var read = System.Text.Json.JsonSerializer.Deserialize<ParcelCancelled>(legacy.ToJsonString(), serializer.Options)!;

        Assert.Equal("out of stock", read.Reason.Text);
    }

    private async Task<Dictionary<string, string>> JsonOfAsync()
    {
        await using var command = _dataSource.CreateCommand("select stream_id, data::text from es_events");
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetString(1);
        }

        return rows;
    }

    private static IEnumerable<PropertyInfo> SealedTexts(Type type) => type.GetProperties().Where(p => p.PropertyType == typeof(PersonalText));

    private static IEnumerable<PersonalText> Texts(object e) => SealedTexts(e.GetType()).Select(p => (PersonalText)p.GetValue(e)!);

    /// <summary>Each string a type holds, as <c>Type.Property</c>, through nested records, lists and subtypes.</summary>
    private static void Walk(Type type, ISet<string> strings, ISet<string> sealedIn, HashSet<Type> seen)
    {
        if (!seen.Add(type))
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var at = $"{type.Name}.{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType == typeof(PersonalText) || propertyType == typeof(Recipient))
            {
                sealedIn.Add(at);
            }
            else if (propertyType == typeof(string))
            {
                strings.Add(at);
            }
            else if (propertyType != typeof(string) && propertyType.IsGenericType && typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                Nested(propertyType.GetGenericArguments()[0]);
            }
            else
            {
                Nested(propertyType);
            }
        }

        void Nested(Type nested)
        {
            nested = Nullable.GetUnderlyingType(nested) ?? nested;
            if (nested.Assembly != typeof(ParcelEvent).Assembly || nested.IsEnum || nested == typeof(PersonalText) || nested == typeof(Recipient))
            {
                return;
            }

            foreach (var concrete in nested.Assembly.GetTypes().Where(t => !t.IsAbstract && nested.IsAssignableFrom(t)))
            {
                Walk(concrete, strings, sealedIn, seen);
            }
        }
    }

    /// <summary>An event of <paramref name="type"/> through its constructor, its free text a secret of its own.</summary>
    private static (object Event, string Secret) Sample(Type type, PersonId person)
    {
        var secret = $"Mme Perrin absente jusqu'à lundi, voisin au 06 — {type.Name}";
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => Value(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType, p.Name!)).ToArray();
        return (constructor.Invoke(arguments), secret);

        object Value(Type t, string name) => t switch
        {
            _ when t == typeof(PersonalText) => new PersonalText(person, secret),
            _ when t == typeof(string) => name,
            _ when t == typeof(int) => 1,
            _ when t == typeof(bool) => false,
            _ when t == typeof(DateTimeOffset) => T0,
            _ when t.IsValueType && t.GetConstructor([typeof(string)]) is { } id => id.Invoke([$"{name}-1"]),
            _ => throw new InvalidOperationException($"No sample value of {t.Name} for {type.Name}.{name}: add one here."),
        };
    }
}
