using Logistics.Domain;
using Logistics.Domain.Couriers;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;

namespace Logistics.Testing.History;

/// <summary>Each morning, every courier's round: reservations, the plan, pickups, deposits and home deliveries.</summary>
public sealed partial class DepartementHistory
{
    private void PlanRounds(DateTimeOffset dayStart, IReadOnlyList<ParcelPlan> parcels)
    {
        var day = (int)(dayStart - Start).TotalDays;
        foreach (var group in parcels.GroupBy(p => p.Shop.Index % _couriers.Count).OrderBy(g => g.Key))
        {
            var courier = _couriers[group.Key];
            var round = new RoundId($"R{day:D3}-{courier.Value}");
            var stops = new List<RoundStop>();
            var plans = new Dictionary<ParcelId, ParcelPlan>();
            var reservedAt = dayStart.AddHours(7);
            var pickups = group.GroupBy(p => p.DroppedIn is { } d ? (StopPlace)new StopPlace.Locker(d.Locker.Id, d.Locker.Name, d.Locker.Position)
                : new StopPlace.Shop(p.Shop.Id, p.Shop.Name, p.Shop.Position));
            foreach (var pickup in pickups)
            {
                stops.Add(Stop(stops, pickup.Key, pickup.Select(p => new ParcelTask(p.Id, TaskKind.PickUp, p.Size, p.DroppedIn?.Number)), null));
            }

            var deposits = new List<(StopPlace Place, ParcelTask Task)>();
            foreach (var plan in group)
            {
                plans[plan.Id] = plan;
                switch (plan.Destination)
                {
                    case Destination.ToLocker to when Reserve(plan, to.Locker, ref reservedAt) is { } reserved:
                        deposits.Add((new StopPlace.Locker(reserved.Locker.Id, reserved.Locker.Name, reserved.Locker.Position),
                            new ParcelTask(plan.Id, TaskKind.Deposit, plan.Size, reserved.Number)));
                        break;
                    case Destination.ToRelayShop relay:
                        var shop = _shops.First(s => s.Id == relay.Shop);
                        deposits.Add((new StopPlace.Shop(shop.Id, shop.Name, shop.Position), new ParcelTask(plan.Id, TaskKind.DepositAtRelay, plan.Size)));
                        break;
                    case Destination.ToLocker:
                        // No compartment anywhere: the nearest relay shop takes it.
                        var fallback = RelayShop();
                        deposits.Add((new StopPlace.Shop(fallback.Id, fallback.Name, fallback.Position), new ParcelTask(plan.Id, TaskKind.DepositAtRelay, plan.Size)));
                        break;
                    case Destination.ToHome home:
                        stops.Add(Stop(stops, new StopPlace.Home(plan.Recipient), [new ParcelTask(plan.Id, TaskKind.Deliver, plan.Size)], home.Window));
                        break;
                }
            }

            foreach (var place in deposits.GroupBy(d => d.Place))
            {
                stops.Insert(stops.Count(s => s.Parcels[0].Kind == TaskKind.PickUp), Stop(stops, place.Key, place.Select(d => d.Task), null));
            }

            var step = Math.Clamp(420 / stops.Count, 2, 6);
            for (var i = 0; i < stops.Count; i++)
            {
                stops[i] = stops[i] with { PlannedArrival = dayStart.AddHours(8).AddMinutes(i * step) };
            }

            if (group.Key == day % _couriers.Count)
            {
                // A first plan given up for a better one (its stops return to planning).
                var draft = new RoundId(round.Value + "-draft");
                Emit(draft.Stream, dayStart.AddHours(6), "system", "planner", new RoundPlanned(draft, courier, stops.Take(1).ToList(), 3.5, dayStart.AddHours(6)));
                Emit(draft.Stream, dayStart.AddHours(6.5), "system", "planner", new RoundCancelled(draft, courier, "replanned", dayStart.AddHours(6.5)));
            }

            var planned = dayStart.AddHours(7.2);
            Emit(round.Stream, planned, "system", "planner", new RoundPlanned(round, courier, stops.ToList(), Math.Round(stops.Count * 1.7, 1), planned));
            Emit(StreamName.For(courier), dayStart.AddHours(7.5), "courier", courier.Value, new ShiftStarted(courier, Point(), dayStart.AddHours(7.5)));
            var end = Drive(round, courier, stops, plans, step);
            Emit(round.Stream, end.AddMinutes(4), "courier", courier.Value, new RoundCompleted(round, end.AddMinutes(4)));
            Emit(StreamName.For(courier), end.AddMinutes(10), "courier", courier.Value, new ShiftEnded(courier, end.AddMinutes(10)));
        }
    }

    private static RoundStop Stop(List<RoundStop> stops, StopPlace place, IEnumerable<ParcelTask> tasks, TimeWindow? window) =>
        new($"s{stops.Count + 1}", place, tasks.ToList(), window, default);

    /// <summary>A compartment at the parcel's locker, or at another one (the parcel redirected there) when it is full.</summary>
    private (LockerPlace Locker, int Number)? Reserve(ParcelPlan plan, LockerId wanted, ref DateTimeOffset at)
    {
        var first = _lockers.FindIndex(l => l.Id == wanted);
        for (var k = 0; k < _lockers.Count; k++)
        {
            var locker = _lockers[(first + k) % _lockers.Count];
            if (FreeCompartment(locker, plan.Size, at) is not { } number)
            {
                continue;
            }

            at = at.AddSeconds(1);
            if (k > 0)
            {
                Emit(StreamName.For(plan.Id), at, "system", "planner", new ParcelRedirected(plan.Id, locker.Id, new PersonalText(plan.Recipient.Person, "destination locker full"), at));
            }

            var stream = StreamName.For(locker.Id);
            if (_random.NextDouble() < 0.01)
            {
                // Reserved, given back by the planner, then reserved again.
                Emit(stream, at, "system", "planner", new CompartmentReserved(locker.Id, number, plan.Id, plan.Size, at));
                Emit(stream, at.AddMilliseconds(500), "system", "planner", new ReservationCancelled(locker.Id, number, plan.Id, at.AddMilliseconds(500), "plan changed"));
            }

            Emit(stream, at.AddMilliseconds(700), "system", "planner", new CompartmentReserved(locker.Id, number, plan.Id, plan.Size, at.AddMilliseconds(700)));
            locker.BusyUntil[number - 1] = DateTimeOffset.MaxValue;
            return (locker, number);
        }

        return null;
    }

    /// <summary>The courier's day along the stops (a failed home delivery adds a deposit at a locker at the end). Returns when the last stop was done.</summary>
    private DateTimeOffset Drive(RoundId round, CourierId courier, List<RoundStop> stops, Dictionary<ParcelId, ParcelPlan> plans, int step)
    {
        var last = stops[^1].PlannedArrival;
        for (var i = 0; i < stops.Count; i++)
        {
            var stop = stops[i];
            var at = stop.PlannedArrival;
            foreach (var task in stop.Parcels)
            {
                var plan = plans[task.Parcel];
                var parcel = StreamName.For(plan.Id);
                at = at.AddSeconds(20);
                switch (task.Kind, stop.Place)
                {
                    case (TaskKind.PickUp, _):
                        Emit(round.Stream, at, "courier", courier.Value, new ParcelActionDone(round, stop.StopId, plan.Id, TaskKind.PickUp, at));
                        if (plan.DroppedIn is { } dropped)
                        {
                            var locker = StreamName.For(dropped.Locker.Id);
                            Emit(locker, at.AddSeconds(1), "courier", courier.Value, new DoorOpened(dropped.Locker.Id, dropped.Number, true, at.AddSeconds(1)));
                            Emit(parcel, at.AddSeconds(5), "courier", courier.Value,
                                new ParcelPickedUp(plan.Id, courier, null, dropped.Locker.Id, dropped.Number, false, at.AddSeconds(5)));
                            Emit(locker, at.AddSeconds(8), "locker", dropped.Locker.Id.Value, new DoorClosed(dropped.Locker.Id, dropped.Number, at.AddSeconds(8)));
                            Emit(locker, at.AddSeconds(9), "system", "pickup-follow-up", new CompartmentFreed(dropped.Locker.Id, dropped.Number, plan.Id, at.AddSeconds(9)));
                            dropped.Locker.BusyUntil[dropped.Number - 1] = at.AddSeconds(10);
                        }
                        else
                        {
                            Emit(parcel, at.AddSeconds(5), "courier", courier.Value, new ParcelPickedUp(plan.Id, courier, plan.Shop.Id, null, null, false, at.AddSeconds(5)));
                        }

                        break;
                    case (TaskKind.Deposit, StopPlace.Locker place):
                        var target = _lockers.First(l => l.Id == place.Id);
                        // The round hears of the deposit before or after the parcel's stream records it, as either may commit first.
                        var doneAt = _random.NextDouble() < 0.5 ? at.AddSeconds(10) : at.AddSeconds(30);
                        Emit(round.Stream, doneAt, "courier", courier.Value, new ParcelActionDone(round, stop.StopId, plan.Id, TaskKind.Deposit, doneAt));
                        var free = DepositAndCollect(plan, courier, target, task.Compartment!.Value, at);
                        target.BusyUntil[task.Compartment.Value - 1] = free;
                        Erase(plan, free);
                        break;
                    case (TaskKind.DepositAtRelay, StopPlace.Shop relay):
                        Emit(round.Stream, at, "courier", courier.Value, new ParcelActionDone(round, stop.StopId, plan.Id, TaskKind.DepositAtRelay, at));
                        Erase(plan, DepositAtRelayAndCollect(plan, courier, _shops.First(s => s.Id == relay.Id), at.AddSeconds(5)));
                        break;
                    case (TaskKind.Deliver, _):
                        if (_random.NextDouble() < 0.08 && Redirect(round, courier, stops, i, plan, at, last.AddMinutes(step)) is { } redirected)
                        {
                            last = redirected;
                            break;
                        }

                        Emit(parcel, at, "courier", courier.Value, new ParcelDelivered(plan.Id, courier, at));
                        Emit(round.Stream, at.AddSeconds(1), "courier", courier.Value, new ParcelActionDone(round, stop.StopId, plan.Id, TaskKind.Deliver, at.AddSeconds(1)));
                        Erase(plan, at);
                        break;
                }
            }

            Emit(round.Stream, at.AddSeconds(30), "courier", courier.Value, new StopCompleted(round, stop.StopId, at.AddSeconds(30)));
        }

        return last.AddMinutes(5);
    }

    /// <summary>Nobody home: the parcel goes to a locker with a free compartment, added at the end of the round. Returns that stop's arrival.</summary>
    private DateTimeOffset? Redirect(RoundId round, CourierId courier, List<RoundStop> stops, int current, ParcelPlan plan, DateTimeOffset at, DateTimeOffset arrival)
    {
        var locker = _lockers[_random.Next(_lockers.Count)];
        if (FreeCompartment(locker, plan.Size, at) is not { } number)
        {
            return null;
        }

        var parcel = StreamName.For(plan.Id);
        var stop = stops[current];
        Emit(round.Stream, at, "courier", courier.Value, new StopFailed(round, stop.StopId, plan.Id, new PersonalText(plan.Recipient.Person, "nobody home"), at));
        Emit(parcel, at.AddSeconds(1), "courier", courier.Value, new HomeDeliveryFailed(plan.Id, courier, new PersonalText(plan.Recipient.Person, "nobody home"), at.AddSeconds(1)));
        Emit(parcel, at.AddSeconds(2), "system", "redirection", new ParcelRedirected(plan.Id, locker.Id, new PersonalText(plan.Recipient.Person, "home delivery failed"), at.AddSeconds(2)));
        Emit(StreamName.For(locker.Id), at.AddSeconds(3), "system", "redirection", new CompartmentReserved(locker.Id, number, plan.Id, plan.Size, at.AddSeconds(3)));
        locker.BusyUntil[number - 1] = DateTimeOffset.MaxValue;
        stops.Add(new RoundStop(
            $"s{stops.Count + 1}", new StopPlace.Locker(locker.Id, locker.Name, locker.Position),
            [new ParcelTask(plan.Id, TaskKind.Deposit, plan.Size, number)], null, arrival));
        Emit(round.Stream, at.AddSeconds(4), "system", "planner", new RoundReplanned(round, stops.Skip(current + 1).ToList(), Math.Round(stops.Count * 1.7, 1), at.AddSeconds(4)));
        return arrival;
    }
}
