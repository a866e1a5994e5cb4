using System.Security.Cryptography;
using System.Text;
using Logistics.Dispatch;
using Logistics.Domain;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Planning;

public sealed partial class RoundPlanner
{
    /// <summary>
    /// One parcel action on a route, in visiting order: the solver's service start (seconds from now), its position
    /// on the route, and how late it is against the time promised (seconds), when it is.
    /// </summary>
    private sealed record Visit(PlanParcel Parcel, TaskKind Kind, StopPlace Place, double Start, int Position, double? Late);

    /// <summary>A courier's share of a run: the route (none: nothing to do), its visits, the compartments reserved for its deposits.</summary>
    private sealed record CourierPlan(PlanCourier Courier, PlannedRoute? Route, List<Visit> Visits, Dictionary<ParcelId, int?> Reserved);

    private static List<Visit> Visits(PlanningProblem problem, PlannedRoute route, IReadOnlyDictionary<int, double> lateness)
    {
        var visits = new List<Visit>();
        for (var i = 0; i < route.Stops.Count; i++)
        {
            var stop = route.Stops[i];
            var request = problem.Problem.RequestOfStop[stop];
            var parcel = problem.Parcels[request];
            var late = lateness.TryGetValue(stop, out var seconds) ? seconds : (double?)null;
            visits.Add(problem.Problem.Requests[request].Pickup == stop
                ? new Visit(parcel, TaskKind.PickUp, parcel.PickupPlace!, route.ServiceStarts[i], i, null)
                : new Visit(parcel, parcel.DeliveryKind, parcel.DeliveryPlace, route.ServiceStarts[i], i, late));
        }

        return visits;
    }

    /// <summary>
    /// Consecutive actions at the same place make one stop (parcels for one locker pooled into one visit). A stop's
    /// id derives from its place and actions, so a re-plan that keeps a stop keeps its id. A stop carries the earliest
    /// time promised among its deliveries and how late the latest of them is; the break goes with the stop it follows
    /// (or, before the first stop, with that one).
    /// </summary>
    private static List<RoundStop> Stops(List<Visit> visits, Dictionary<ParcelId, int?> compartments, DateTimeOffset now, RouteBreak? rest)
    {
        var stops = new List<RoundStop>();
        var breakAfter = rest is null ? -1 : visits.FindLastIndex(v => v.Position <= rest.AfterPosition);
        var i = 0;
        while (i < visits.Count)
        {
            var key = PlanningInput.Key(visits[i].Place);
            var group = visits.Skip(i).TakeWhile(v => PlanningInput.Key(v.Place) == key).ToList();
            var first = i;
            i += group.Count;
            var tasks = group.Select(v => new ParcelTask(
                v.Parcel.Id,
                v.Kind,
                v.Parcel.Details.Size,
                v.Kind == TaskKind.PickUp ? v.Parcel.PickupCompartment : v.Kind == TaskKind.Deposit ? compartments.GetValueOrDefault(v.Parcel.Id) : null)).ToList();
            var window = group.FirstOrDefault(v => v.Kind == TaskKind.Deliver)?.Parcel.Window;
            var late = group.Max(v => v.Late);
            RoundBreak? pause = rest is null ? null
                : breakAfter >= first && breakAfter < i ? new RoundBreak(now.AddSeconds(Math.Round(rest.Start)), TimeSpan.FromSeconds(rest.Length))
                : breakAfter < 0 && first == 0 ? new RoundBreak(now.AddSeconds(Math.Round(rest.Start)), TimeSpan.FromSeconds(rest.Length), BeforeStop: true)
                : null;
            stops.Add(new RoundStop(StopId(key, tasks), group[0].Place, tasks, window, now.AddSeconds(Math.Ceiling(group[0].Start)))
            {
                PromisedBy = group.Where(v => v.Kind != TaskKind.PickUp).Min(v => v.Parcel.PromisedBy),
                LateBy = late is { } seconds ? TimeSpan.FromSeconds(Math.Ceiling(seconds)) : null,
                Break = pause,
            });
        }

        return stops;
    }

    private static string StopId(string placeKey, IEnumerable<ParcelTask> tasks)
    {
        var text = placeKey + "|" + string.Join(",", tasks.Select(t => $"{t.Parcel}:{t.Kind}"));
        return "st-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 6));
    }
}
