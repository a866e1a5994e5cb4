using Logistics.Domain.Parcels;
using static Logistics.Domain.Tests.Parcels.ParcelTests;

namespace Logistics.Domain.Tests.Parcels;

public class ParcelTimelineTests
{
    public static TheoryData<string> Histories => ["locker", "relay-return", "home-failed", "home", "cancelled-drop", "blocked-code"];

    private static ParcelEvent[] History(string name) => name switch
    {
        "locker" => [.. InLocker(), new ReminderSent(Id, CollectBy, RemindAt), new CollectionDeadlineExtended(Id, CollectBy, CollectBy.AddDays(1), RemindAt), new ParcelCollected(Id, Locker, 7, null, CollectBy)],
        "relay-return" => [Registered(ToRelay), PickedUpAtShop(), DepositedAtRelay(), new ParcelExpired(Id, null, null, RelayShop, CollectBy), new ParcelPickedUp(Id, Courier, RelayShop, null, null, true, CollectBy), new ParcelReturned(Id, Shop, Courier, CollectBy)],
        "home-failed" => [.. WithCourierForHome(), new HomeDeliveryFailed(Id, Courier, Said("nobody home"), T0), new ParcelRedirected(Id, OtherLocker, Said("nobody home"), T0), Deposited() with { Locker = OtherLocker }],
        "home" => [.. WithCourierForHome(), new ParcelDelivered(Id, Courier, T0.AddHours(6))],
        "cancelled-drop" => [Registered(), DroppedAtLocker(), new ParcelCancelled(Id, Shop, Said("out of stock"), DropLocker, 4, T0)],
        "blocked-code" => [.. InLocker(), WrongCode(1), WrongCode(2), WrongCode(3), WrongCode(4), WrongCode(5), new PickupCodeBlocked(Id, 5, T0), new PickupCodeReissued(Id, "h2", CollectBy, T0)],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Histories))]
    public void StatusFollowedEventByEventMatchesTheFoldedState(string name)
    {
        var state = Parcel.Initial;
        var status = ParcelStatus.NotRegistered;
        foreach (var e in History(name))
        {
            state = Parcel.Evolve(state, e);
            status = ParcelTimeline.StatusAfter(e) ?? status;
            Assert.Equal(ParcelTimeline.StatusOf(state), status);
        }
    }

    [Theory]
    [MemberData(nameof(Histories))]
    public void EveryEventHasASentenceWithoutPersonalData(string name)
    {
        foreach (var e in History(name))
        {
            var line = ParcelTimeline.Describe(e);
            Assert.NotEqual(e.GetType().Name, line);
            Assert.DoesNotContain(ParcelTests.Recipient.Name, line, StringComparison.Ordinal);
            Assert.DoesNotContain(ParcelTests.Recipient.Address!.Street, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void APickupFromALockerNamesTheCompartment() =>
        Assert.Equal(
            "Picked up by courier c-ana from locker l-gare, compartment 4",
            ParcelTimeline.Describe(new ParcelPickedUp(Id, Courier, null, DropLocker, 4, false, T0)));
}
