using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Logistics.Domain.Couriers;
using Logistics.Domain.HomeBoxes;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.Domain.Shops;
using P = Logistics.Domain.Tests.Parcels.ParcelTests;

namespace Logistics.Domain.Tests;

/// <summary>
/// The store serialises events with System.Text.Json and no attributes: every event must round-trip through its
/// constructor, and every event type must have a unique stored name.
/// </summary>
public class EventShapesTests
{
    private static readonly DateTimeOffset T = P.T0;
    private static readonly LockerId L = P.Locker;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AddDestinations } },
    };

    public static object[] Samples =>
    [
        P.Registered(P.ToHome), P.Registered(P.ToRelay), P.DroppedAtLocker(), P.PickedUpAtShop(), P.PickedUpForReturn(),
        P.Deposited(), P.DepositedAtRelay(), new ParcelCollected(P.Id, L, 7, null, T), P.WrongCode(2),
        new PickupCodeBlocked(P.Id, 5, T), new PickupCodeReissued(P.Id, "h", T, T), new ReminderSent(P.Id, T, T),
        new CollectionDeadlineExtended(P.Id, T, T, T), P.Expired(), new ParcelReturned(P.Id, P.Shop, P.Courier, T),
        new ParcelDelivered(P.Id, P.Courier, T), new HomeDeliveryFailed(P.Id, P.Courier, P.Said("away"), T),
        new ParcelRedirected(P.Id, L, P.Said("full"), T), new ParcelCancelled(P.Id, P.Shop, P.Said("no"), L, 4, T), new RecipientErased(P.Id, P.Recipient.Person, T),
        new PickupCodeReissued(P.Id, "h", T, T, "dmVyaWZpZXI="), new CompartmentFreed(L, 1, P.Id, T, "its parcel was collected"),
        new CompartmentReserved(L, 1, P.Id, ParcelSize.S, T), new CompartmentOccupied(L, 1, P.Id, T),
        new CompartmentFreed(L, 1, P.Id, T), new ReservationCancelled(L, 1, P.Id, T), new CompartmentEmptying(L, 1, P.Id, T),
        new CompartmentTakenOutOfService(L, 1, "broken", T), new CompartmentReturnedToService(L, 1, T),
        new DoorOpened(L, 1, false, T), new DoorClosed(L, 1, T), new AlarmRaised(L, AlarmKind.ControllerOffline, null, T),
        new AlarmCleared(L, AlarmKind.LockStuck, 3, T), new LockerWentOnline(L, T), new LockerWentOffline(L, T),
        new ShopRegistered(P.Shop, "Librairie", "12 rue Nationale", new GeoPoint(47.39, 0.68), true, T),
        new RelayPointChanged(P.Shop, false, T), new ShopClosed(P.Shop, T),
        new CourierRegistered(P.Courier, "Ana", Vehicle.Van, 40, T), new ShiftStarted(P.Courier, null, T),
        new ShiftStarted(P.Courier, new GeoPoint(47.39, 0.68), T), new ShiftEnded(P.Courier, T),
        new CourierDeactivated(P.Courier, "left", T),
        P.Registered(new Destination.ToHomeBox(new LockerId("homebox-1"))), new ParcelDepositedInHomeBox(P.Id, P.Courier, new LockerId("homebox-1"), 1, T),
        new HomeBoxProvisioned(new LockerId("homebox-1"), "AB12", T), new HomeBoxClaimed(new LockerId("homebox-1"), P.Recipient, "CD34", T),
        new HomeBoxReleased(new LockerId("homebox-1"), P.Recipient.Person, T),
    ];

    [Fact]
    public void EveryEventRoundTripsThroughSystemTextJson()
    {
        foreach (var sample in Samples)
        {
            var json = JsonSerializer.Serialize(sample, sample.GetType(), Options);
            Assert.Equal(sample, JsonSerializer.Deserialize(json, sample.GetType(), Options));
        }
    }

    [Fact]
    public void LockerRegisteredRoundTripsWithItsCompartments()
    {
        var registered = new LockerRegistered(L, "Les Halles", new GeoPoint(47.39, 0.69), "Place", [new(1, ParcelSize.S, true), new(2, ParcelSize.L, false)], T);

        var back = JsonSerializer.Deserialize<LockerRegistered>(JsonSerializer.Serialize(registered, Options), Options)!;

        Assert.Equal(registered.Compartments, back.Compartments);
        Assert.Equal(registered, back with { Compartments = registered.Compartments });
    }

    [Fact]
    public void EveryEventTypeHasASampleAndAUniqueName()
    {
        var eventTypes = typeof(ParcelEvent).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && (typeof(ParcelEvent).IsAssignableFrom(t) || typeof(LockerEvent).IsAssignableFrom(t)
                || typeof(ShopEvent).IsAssignableFrom(t) || typeof(CourierEvent).IsAssignableFrom(t) || typeof(HomeBoxEvent).IsAssignableFrom(t)))
            .ToList();

        Assert.Equal(eventTypes.Count, eventTypes.Select(t => t.Name).Distinct().Count());
        var sampled = Samples.Select(s => s.GetType()).Append(typeof(LockerRegistered)).ToHashSet();
        Assert.All(eventTypes, t => Assert.Contains(t, sampled));
    }

    private static void AddDestinations(JsonTypeInfo info)
    {
        if (info.Type == typeof(Destination))
        {
            info.PolymorphismOptions = new JsonPolymorphismOptions
            {
                DerivedTypes =
                {
                    new JsonDerivedType(typeof(Destination.ToLocker), "ToLocker"),
                    new JsonDerivedType(typeof(Destination.ToRelayShop), "ToRelayShop"),
                    new JsonDerivedType(typeof(Destination.ToHome), "ToHome"),
                    new JsonDerivedType(typeof(Destination.ToHomeBox), "ToHomeBox"),
                },
            };
        }
    }
}
