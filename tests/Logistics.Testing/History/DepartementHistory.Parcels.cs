using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;

namespace Logistics.Testing.History;

/// <summary>Parcels: registration by shops, drops at lockers, and what happens after a deposit until collection or return.</summary>
public sealed partial class DepartementHistory
{
    private IEnumerable<ParcelPlan> RegisterParcels(DateTimeOffset dayStart)
    {
        var day = (int)(dayStart - Start).TotalDays;
        var plans = new List<ParcelPlan>(_shape.ParcelsPerDay);
        for (var n = 0; n < _shape.ParcelsPerDay; n++)
        {
            var at = dayStart.AddHours(8).AddSeconds(_random.Next(0, 10 * 3600));
            var shop = _shops[_random.Next(_shops.Count)];
            var id = new ParcelId($"P{day:D3}-{n:D6}");
            var roll = _random.NextDouble();
            var size = roll < 0.6 ? ParcelSize.S : roll < 0.9 ? ParcelSize.M : ParcelSize.L;
            var regular = _random.NextDouble() < 0.2;
            var person = regular ? $"regular-{_random.Next(Math.Max(1, _shape.ParcelsPerDay / 10))}" : $"person-{day:D3}-{n:D6}";
            var destinationRoll = _random.NextDouble();
            var home = destinationRoll >= 0.65;
            var recipient = new Recipient(
                new PersonId(person),
                $"Camille Martin {person}",
                $"+33 6 {n % 100:D2} {day % 100:D2} 33 44",
                $"{person}@example.org",
                home || _random.NextDouble() < 0.3 ? new HomeAddress($"{n} avenue du Prado", "13008", "Marseille", Point()) : null);
            Destination destination = destinationRoll < 0.45
                ? new Destination.ToLocker(_lockers[_random.Next(_lockers.Count)].Id)
                : !home
                    ? new Destination.ToRelayShop(RelayShop().Id)
                    : new Destination.ToHome(new TimeWindow(dayStart.AddDays(1).AddHours(9), dayStart.AddDays(1).AddHours(17)));
            var plan = new ParcelPlan(id, shop, recipient, size, destination, $"T{day:D3}{n:D6}", !regular && _random.NextDouble() < 0.01);
            var stream = StreamName.For(id);
            Emit(stream, at, "shop", shop.Id.Value, new ParcelRegistered(id, plan.Tracking, shop.Id, recipient, size, destination, at));

            if (_random.NextDouble() < 0.02)
            {
                var cancelled = at.AddMinutes(30);
                Emit(stream, cancelled, "shop", shop.Id.Value, new ParcelCancelled(id, shop.Id, new PersonalText(recipient.Person, "customer changed their mind"), null, null, cancelled));
                Erase(plan, cancelled);
                continue;
            }

            if (_random.NextDouble() < 0.08)
            {
                DropAtLocker(plan, at.AddMinutes(45));
            }

            plans.Add(plan);
        }

        return plans;
    }

    private ShopPlace RelayShop()
    {
        while (true)
        {
            var shop = _shops[_random.Next(_shops.Count)];
            if (shop.Relay)
            {
                return shop;
            }
        }
    }

    /// <summary>The shop drops the parcel in a locker near it; the compartment stays busy until the next day's round takes it.</summary>
    private void DropAtLocker(ParcelPlan plan, DateTimeOffset at)
    {
        var locker = _lockers[_random.Next(_lockers.Count)];
        var number = FreeCompartment(locker, plan.Size, at);
        if (number is null)
        {
            return;
        }

        locker.BusyUntil[number.Value - 1] = at.Date.AddDays(2);
        plan.DroppedIn = (locker, number.Value);
        var stream = StreamName.For(locker.Id);
        Emit(stream, at, "shop", plan.Shop.Id.Value, new DoorOpened(locker.Id, number.Value, true, at));
        Emit(StreamName.For(plan.Id), at.AddSeconds(20), "shop", plan.Shop.Id.Value,
            new ParcelDroppedAtLocker(plan.Id, plan.Shop.Id, locker.Id, number.Value, at.AddSeconds(20)));
        Emit(stream, at.AddSeconds(21), "system", "deposit-follow-up", new CompartmentOccupied(locker.Id, number.Value, plan.Id, at.AddSeconds(21)));
        Emit(stream, at.AddSeconds(30), "locker", locker.Id.Value, new DoorClosed(locker.Id, number.Value, at.AddSeconds(30)));
    }

    private static int? FreeCompartment(LockerPlace locker, ParcelSize size, DateTimeOffset from)
    {
        int? best = null;
        for (var i = 0; i < locker.Compartments.Count; i++)
        {
            var spec = locker.Compartments[i];
            if (locker.BusyUntil[i] <= from && spec.Size.Fits(size) && (best is null || spec.Size < locker.Compartments[best.Value - 1].Size))
            {
                best = i + 1;
            }
        }

        return best;
    }

    /// <summary>
    /// Deposited by a courier in a reserved compartment; then collected (after wrong codes, reminders, an extension) or
    /// expired and returned. Returns when the compartment is free again.
    /// </summary>
    private DateTimeOffset DepositAndCollect(ParcelPlan plan, CourierId courier, LockerPlace locker, int number, DateTimeOffset at)
    {
        var parcel = StreamName.For(plan.Id);
        var stream = StreamName.For(locker.Id);
        var remindAt = at.AddDays(2);
        var collectBy = at.AddDays(5);
        Emit(stream, at, "courier", courier.Value, new DoorOpened(locker.Id, number, true, at));
        Emit(parcel, at.AddSeconds(15), "courier", courier.Value, new ParcelDeposited(
            plan.Id, courier, locker.Id, number, Code(), collectBy, remindAt, collectBy, at.AddSeconds(15), _random.NextDouble() < 0.5 ? Code() : null));
        Emit(stream, at.AddSeconds(16), "system", "deposit-follow-up", new CompartmentOccupied(locker.Id, number, plan.Id, at.AddSeconds(16)));
        Emit(stream, at.AddSeconds(25), "locker", locker.Id.Value, new DoorClosed(locker.Id, number, at.AddSeconds(25)));

        var end = Collection(plan, at, remindAt, collectBy, (locker.Id, number), null);
        if (end is { } collected)
        {
            Emit(stream, collected.AddSeconds(-10), "customer", plan.Recipient.Person.Value, new DoorOpened(locker.Id, number, true, collected.AddSeconds(-10)));
            Emit(stream, collected.AddSeconds(20), "locker", locker.Id.Value, new DoorClosed(locker.Id, number, collected.AddSeconds(20)));
            Emit(stream, collected.AddSeconds(21), "system", "collection-follow-up", new CompartmentFreed(locker.Id, number, plan.Id, collected.AddSeconds(21)));
            return collected.AddSeconds(21);
        }

        // Expired: the courier takes it back the day after its deadline.
        var back = collectBy.Date.AddDays(1).AddHours(9);
        Emit(stream, back, "courier", courier.Value, new DoorOpened(locker.Id, number, true, back));
        Emit(parcel, back.AddSeconds(10), "courier", courier.Value, new ParcelPickedUp(plan.Id, courier, null, locker.Id, number, true, back.AddSeconds(10)));
        Emit(stream, back.AddSeconds(20), "locker", locker.Id.Value, new DoorClosed(locker.Id, number, back.AddSeconds(20)));
        Emit(stream, back.AddSeconds(21), "system", "pickup-follow-up", new CompartmentFreed(locker.Id, number, plan.Id, back.AddSeconds(21)));
        Emit(parcel, back.AddHours(2), "courier", courier.Value, new ParcelReturned(plan.Id, plan.Shop.Id, courier, back.AddHours(2)));
        return back.AddHours(2);
    }

    private DateTimeOffset DepositAtRelayAndCollect(ParcelPlan plan, CourierId courier, ShopPlace relay, DateTimeOffset at)
    {
        var parcel = StreamName.For(plan.Id);
        var remindAt = at.AddDays(2);
        var collectBy = at.AddDays(5);
        Emit(parcel, at, "courier", courier.Value, new ParcelDepositedAtRelay(plan.Id, courier, relay.Id, Code(), collectBy, remindAt, collectBy, at));
        if (Collection(plan, at, remindAt, collectBy, null, relay.Id) is { } collected)
        {
            return collected;
        }

        var back = collectBy.Date.AddDays(1).AddHours(10);
        Emit(parcel, back, "courier", courier.Value, new ParcelPickedUp(plan.Id, courier, relay.Id, null, null, true, back));
        Emit(parcel, back.AddHours(2), "courier", courier.Value, new ParcelReturned(plan.Id, plan.Shop.Id, courier, back.AddHours(2)));
        return back.AddHours(2);
    }

    /// <summary>
    /// The recipient's side of a deposit. Returns when it was collected, or null when it expired (at its deadline).
    /// </summary>
    private DateTimeOffset? Collection(
        ParcelPlan plan, DateTimeOffset at, DateTimeOffset remindAt, DateTimeOffset collectBy,
        (LockerId Locker, int Number)? compartment, Domain.ShopId? relay)
    {
        var parcel = StreamName.For(plan.Id);
        var customer = plan.Recipient.Person.Value;
        var roll = _random.NextDouble();
        DateTimeOffset? collected = roll < 0.55 ? at.AddMinutes(_random.Next(30, 480))
            : roll < 0.85 ? at.AddHours(_random.Next(16, 40))
            : roll < 0.95 ? remindAt.AddHours(_random.Next(1, 60))
            : roll < 0.98 ? collectBy.AddDays(1)
            : null;
        if (collected is null || collected > remindAt)
        {
            Emit(parcel, remindAt, "system", "reminders", new ReminderSent(plan.Id, collectBy, remindAt));
        }

        if (collected > collectBy)
        {
            var asked = remindAt.AddHours(1);
            Emit(parcel, asked, "customer", customer, new CollectionDeadlineExtended(plan.Id, collectBy, collectBy.AddDays(3), asked));
        }

        if (collected is not { } time)
        {
            Emit(parcel, collectBy, "system", "expiry", new ParcelExpired(plan.Id, compartment?.Locker, compartment?.Number, relay, collectBy));
            return null;
        }

        var wrong = _random.NextDouble();
        if (wrong < 0.01)
        {
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                Emit(parcel, time.AddMinutes(-20 + attempt), "customer", customer, new WrongCodeEntered(plan.Id, attempt, time.AddMinutes(-20 + attempt)));
            }

            Emit(parcel, time.AddMinutes(-17), "system", "codes", new PickupCodeBlocked(plan.Id, 3, time.AddMinutes(-17)));
            Emit(parcel, time.AddMinutes(-10), "operator", "federation", new PickupCodeReissued(plan.Id, Code(), time.AddDays(3), time.AddMinutes(-10)));
        }
        else if (wrong < 0.07)
        {
            Emit(parcel, time.AddMinutes(-1), "customer", customer, new WrongCodeEntered(plan.Id, 1, time.AddMinutes(-1)));
        }

        Emit(parcel, time, "customer", customer, new ParcelCollected(plan.Id, compartment?.Locker, compartment?.Number, relay, time));
        return time;
    }

    /// <summary>Some one-off recipients ask for their data to be erased once their parcel is done with.</summary>
    private void Erase(ParcelPlan plan, DateTimeOffset after)
    {
        if (plan.Erased)
        {
            var at = after.AddDays(1);
            Emit(StreamName.For(plan.Id), at, "operator", "federation", new RecipientErased(plan.Id, plan.Recipient.Person, at));
        }
    }

    private string Code() => Convert.ToBase64String(BitConverter.GetBytes(_random.NextInt64())) + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private sealed record ParcelPlan(ParcelId Id, ShopPlace Shop, Recipient Recipient, ParcelSize Size, Destination Destination, string Tracking, bool Erased)
    {
        public (LockerPlace Locker, int Number)? DroppedIn { get; set; }
    }
}
