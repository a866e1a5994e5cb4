using System.Security.Cryptography;
using System.Text;
using Logistics.Dispatch;
using Logistics.Domain;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Planning;

public sealed partial class RoundPlanner
{
    /// <summary>One parcel action on a route, in visiting order, with the solver's service start (seconds from now).</summary>
    private sealed record Visit(PlanParcel Parcel, TaskKind Kind, StopPlace Place, double Start);

    private static List<Visit> Visits(PlanningProblem problem, PlannedRoute route)
    {
        var visits = new List<Visit>();
        for (var i = 0; i < route.Stops.Count; i++)
        {
            var stop = route.Stops[i];
            var request = problem.Problem.RequestOfStop[stop];
            var parcel = problem.Parcels[request];
            visits.Add(problem.Problem.Requests[request].Pickup == stop
                ? new Visit(parcel, TaskKind.PickUp, parcel.PickupPlace!, route.ServiceStarts[i])
                : new Visit(parcel, parcel.DeliveryKind, parcel.DeliveryPlace, route.ServiceStarts[i]));
        }

        return visits;
    }

    /// <summary>
    /// Consecutive actions at the same place make one stop (parcels for one locker pooled into one visit). A stop's
    /// id derives from its place and actions, so a re-plan that keeps a stop keeps its id.
    /// </summary>
    private static List<RoundStop> Stops(List<Visit> visits, Dictionary<ParcelId, int?> compartments, DateTimeOffset now)
    {
        var stops = new List<RoundStop>();
        var i = 0;
        while (i < visits.Count)
        {
            var key = PlanningInput.Key(visits[i].Place);
            var group = visits.Skip(i).TakeWhile(v => PlanningInput.Key(v.Place) == key).ToList();
            i += group.Count;
            var tasks = group.Select(v => new ParcelTask(
                v.Parcel.Id,
                v.Kind,
                v.Parcel.Details.Size,
                v.Kind == TaskKind.PickUp ? v.Parcel.PickupCompartment : v.Kind == TaskKind.Deposit ? compartments.GetValueOrDefault(v.Parcel.Id) : null)).ToList();
            var window = group.FirstOrDefault(v => v.Kind == TaskKind.Deliver)?.Parcel.Window;
            stops.Add(new RoundStop(StopId(key, tasks), group[0].Place, tasks, window, now.AddSeconds(Math.Ceiling(group[0].Start))));
        }

        return stops;
    }

    private static string StopId(string placeKey, IEnumerable<ParcelTask> tasks)
    {
        var text = placeKey + "|" + string.Join(",", tasks.Select(t => $"{t.Parcel}:{t.Kind}"));
        return "st-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 6));
    }
}
