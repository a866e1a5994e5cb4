using Logistics.Domain;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Planning;

public sealed partial class RoundPlanner
{
    /// <summary>Who held a parcel's pending work before the run: the courier, and their name as the message says it.</summary>
    private sealed record Holder(CourierId Courier, string Name);

    /// <summary>The parcels each active round held still to do before this run (read before rounds of couriers off shift are cancelled).</summary>
    private async Task<Dictionary<ParcelId, Holder>> HoldersAsync(CourierId? only, string network, CancellationToken cancellationToken)
    {
        var names = (await reads.Directory.CouriersAsync(network, cancellationToken)).ToDictionary(c => c.CourierId, c => c.Name, StringComparer.Ordinal);
        var holders = new Dictionary<ParcelId, Holder>();
        foreach (var (courier, round) in await reads.Planning.CurrentRoundsAsync(network, cancellationToken))
        {
            if ((only is null || only == courier) && (await streams.LoadAsync(RoundStreams.Decider, round.Stream, cancellationToken)).State is Round.Active active)
            {
                foreach (var parcel in Pending(active.Track))
                {
                    holders[parcel] = new Holder(courier, names.GetValueOrDefault(courier.Value) ?? courier.Value);
                }
            }
        }

        return holders;
    }

    /// <summary>
    /// What this run changes on a courier's active round, parcel by parcel, and why: a parcel new to the round is new,
    /// or taken over from a courier who passes there later (the move saved more than its cost) or whose shift ended;
    /// a parcel that leaves it goes to a courier who passes there first, waits for a later plan, or has nothing left to do.
    /// </summary>
    private static List<RoundChange> Changes(
        PlanCourier courier, List<Visit> visits, Dictionary<ParcelId, Holder> before, Dictionary<ParcelId, PlanCourier> after, HashSet<ParcelId> deferred, HashSet<CourierId> onShift)
    {
        if (courier.Round is not Round.Active { Track: var track })
        {
            return [];
        }

        var planned = visits.Select(v => v.Parcel.Id).Distinct().ToList();
        var had = track.Stops.SelectMany(s => s.Stop.Parcels).Select(t => t.Parcel).ToHashSet();
        var changes = new List<RoundChange>();
        foreach (var parcel in planned.Where(p => !had.Contains(p)))
        {
            changes.Add(before.TryGetValue(parcel, out var from) && from.Courier != courier.Id
                ? new RoundChange(parcel, RoundChangeKind.Added, onShift.Contains(from.Courier) ? RoundChangeReason.PassesFirst : RoundChangeReason.ShiftEnded, from.Courier, from.Name)
                : new RoundChange(parcel, RoundChangeKind.Added, RoundChangeReason.NewParcel));
        }

        foreach (var parcel in Pending(track).Except(planned))
        {
            changes.Add(after.TryGetValue(parcel, out var to) && to.Id != courier.Id
                ? new RoundChange(parcel, RoundChangeKind.Removed, RoundChangeReason.PassesFirst, to.Id, to.Name)
                : new RoundChange(parcel, RoundChangeKind.Removed, deferred.Contains(parcel) ? RoundChangeReason.Deferred : RoundChangeReason.NoLongerToDo));
        }

        return changes;
    }

    // Parcels with an action still to do on the round.
    private static IEnumerable<ParcelId> Pending(RoundTrack track) =>
        track.Stops.Where(s => !s.Completed).SelectMany(s => s.Stop.Parcels.Where(t => !s.IsSettled(t.Parcel))).Select(t => t.Parcel).Distinct();
}
