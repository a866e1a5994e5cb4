using Logistics.Dispatch.Model;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Planning;

internal sealed partial class PlanningProblem
{
    /// <summary>
    /// Each courier's active round as the re-plan's starting point: its stops not started yet, in order, as the
    /// solver's stops (parcels no longer to plan left out, a parcel's pickup and delivery together or not at all). A
    /// courier who has set off keeps the next stop first (on the way there already) and the round changes by at most
    /// <see cref="PlanningOptions.MaxStartedChanges"/> parcels; a parcel leaves its courier only when that saves more
    /// than <see cref="PlanningOptions.MoveCost"/>. Null when no courier has a round yet: a plan from scratch.
    /// </summary>
    private PreviousPlan? Previous(IReadOnlyList<Request> requests, PlanningOptions options)
    {
        var requestOf = Parcels.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var taken = new HashSet<int>();
        var routes = new List<PreviousRoute>();
        for (var v = 0; v < Couriers.Count; v++)
        {
            if (Couriers[v].Round is not Round.Active { Track: var track })
            {
                continue;
            }

            var order = new List<(int Stop, int Request, bool Next)>();
            var next = true;
            foreach (var stop in track.Stops.Where(s => !s.Started))
            {
                foreach (var task in stop.Stop.Parcels)
                {
                    if (!requestOf.TryGetValue(task.Parcel, out var r))
                    {
                        continue;
                    }

                    var request = requests[r];
                    int? at = task.Kind == TaskKind.PickUp ? request.Pickup : task.Kind == Parcels[r].DeliveryKind ? request.Delivery : null;
                    if (at is { } s)
                    {
                        order.Add((s, r, next));
                    }
                }

                next = false;
            }

            var kept = order.Where(o => Whole(requests[o.Request], order, v) && !taken.Contains(o.Stop)).ToList();
            kept = [.. kept.Where(o => Whole(requests[o.Request], kept, v))];
            if (kept.Count == 0)
            {
                continue;
            }

            taken.UnionWith(kept.Select(o => o.Stop));
            var started = track.Stops.Any(s => s.Started);
            routes.Add(new PreviousRoute(v, [.. kept.Select(o => o.Stop)], Fixed: started ? kept.TakeWhile(o => o.Next).Count() : 0, Started: started));
        }

        return routes.Count == 0 ? null : new PreviousPlan(routes) { MoveCost = options.MoveCost, MaxStartedChanges = options.MaxStartedChanges };
    }

    // A request is in a previous route with all its stops, its pickup before its delivery, on a vehicle it may use.
    private static bool Whole(Request request, List<(int Stop, int Request, bool Next)> order, int vehicle)
    {
        var delivery = order.FindIndex(o => o.Stop == request.Delivery);
        var pickup = request.Pickup is { } p ? order.FindIndex(o => o.Stop == p) : -1;
        return delivery >= 0 && (request.Pickup is null || (pickup >= 0 && pickup < delivery)) && (request.Vehicles is null || request.Vehicles.Contains(vehicle));
    }
}
