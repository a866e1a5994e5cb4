using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Logistics.Domain.Rounds;

namespace Logistics.Domain.Tests.Rounds;

/// <summary>
/// Round events are stored with System.Text.Json and no attributes: each must come back through its constructor,
/// places with their kind. Events holding lists are compared by their JSON (records compare lists by reference).
/// </summary>
public class RoundEventShapesTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AddPlaces } },
    };

    public static TheoryData<RoundEvent> Samples =>
    [
        RoundTests.Planned,
        new RoundReplanned(RoundTests.Id, [RoundTests.Deposit, RoundTests.Deliver], 3.5, RoundTests.T0),
        new RoundReplanned(
            RoundTests.Id,
            [
                RoundTests.Deposit with { Break = new RoundBreak(RoundTests.T0.AddHours(6), TimeSpan.FromMinutes(20)) },
                RoundTests.Deliver with { PromisedBy = RoundTests.T0.AddHours(1), LateBy = TimeSpan.FromMinutes(7), Break = new RoundBreak(RoundTests.T0, TimeSpan.FromMinutes(20), BeforeStop: true) },
            ],
            3.5,
            RoundTests.T0)
        {
            Changes = [new RoundChange(RoundTests.ToHome, RoundChangeKind.Removed, RoundChangeReason.PassesFirst, RoundTests.Ben, "Ben"), new RoundChange(RoundTests.Late, RoundChangeKind.Added, RoundChangeReason.NewParcel)],
        },
        new ParcelActionDone(RoundTests.Id, "a", RoundTests.ToLocker, TaskKind.PickUp, RoundTests.T0),
        new StopFailed(RoundTests.Id, "c", RoundTests.ToHome, RoundTests.Said("away"), RoundTests.T0),
        new StopCompleted(RoundTests.Id, "a", RoundTests.T0),
        new RoundCompleted(RoundTests.Id, RoundTests.T0),
        new RoundCancelled(RoundTests.Id, RoundTests.Ana, "shift ended", RoundTests.T0),
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void EveryRoundEventRoundTrips(RoundEvent sample)
    {
        var json = JsonSerializer.Serialize(sample, sample.GetType(), Options);
        var back = (RoundEvent)JsonSerializer.Deserialize(json, sample.GetType(), Options)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, back.GetType(), Options));
        Assert.Equal(Round.Evolve(Round.Initial, sample) is Round.Active, Round.Evolve(Round.Initial, back) is Round.Active);
    }

    [Fact]
    public void AReplanStoredBeforeItToldWhatChangedReadsWithNoChange()
    {
        var json = JsonSerializer.Serialize(new RoundReplanned(RoundTests.Id, [RoundTests.Deposit], 1, RoundTests.T0), Options).Replace(",\"changes\":[]", "", StringComparison.Ordinal);

        Assert.DoesNotContain("changes", json, StringComparison.Ordinal);
        Assert.Empty(JsonSerializer.Deserialize<RoundReplanned>(json, Options)!.Changes);
    }

    [Fact]
    public void AHomeIsStoredThroughItsRecipientOnly()
    {
        var json = JsonSerializer.Serialize(RoundTests.Deliver, Options);

        Assert.DoesNotContain("\"position\"", json, StringComparison.Ordinal);
        Assert.Equal(1, json.Split("47.395").Length - 1);
        Assert.Equal(RoundTests.Deliver.Place, JsonSerializer.Deserialize<RoundStop>(json, Options)!.Place);
    }

    private static void AddPlaces(JsonTypeInfo info)
    {
        if (info.Type != typeof(StopPlace))
        {
            return;
        }

        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "$type" };
        foreach (var type in new[] { typeof(StopPlace.Shop), typeof(StopPlace.Locker), typeof(StopPlace.Home) })
        {
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
        }
    }
}
