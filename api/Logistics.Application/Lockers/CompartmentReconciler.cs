using Logistics.Application.ReadSide;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Lockers;

/// <summary>One compartment that did not hold what the parcels require, and what was (or would be) done about it.</summary>
/// <param name="Found">What the locker's stream says the compartment is.</param>
/// <param name="Expected">What the parcels require of it.</param>
/// <param name="Repair">The events appended to mend it, with their reason ("none" when only reported).</param>
public sealed record CompartmentFinding(string LockerId, int Compartment, string? ParcelId, string Found, string Expected, string Repair, bool Repaired);

/// <summary>What a check of the compartments found.</summary>
public sealed record CompartmentCheck(DateTimeOffset CheckedAt, int Candidates, bool Repaired, IReadOnlyList<CompartmentFinding> Findings);

/// <summary>
/// The invariant between lockers and parcels, checked and repaired: a compartment is occupied exactly when a parcel
/// lies in it (deposited, dropped by its shop, or expired there), and reserved only for a parcel still on its way there
/// (planned in a round, or reserved within <see cref="Grace"/>, as a request in flight). A crash between a request's
/// steps, a lost follow-up or a bug leaves compartments held for nobody; this gives them back, appending the events
/// that free them with their reason. Candidates come from the read models (a cheap query); every decision is taken
/// on the streams, so a read model that lags only delays a repair to the next run.
/// </summary>
public sealed class CompartmentReconciler(EventStreams streams, Compartments compartments, LockerQueries lockers, ParcelQueries parcels, PlanningQueries planning, ILogger<CompartmentReconciler> logger)
{
    /// <summary>A reservation younger than this may belong to a request still under way.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(15);

    public async Task<CompartmentCheck> CheckAsync(bool repair, string? network = null, CancellationToken cancellationToken = default)
    {
        var now = streams.Clock.GetUtcNow();
        var candidates = await lockers.RepairCandidatesAsync(network, cancellationToken);
        var findings = new List<CompartmentFinding>();
        var context = new CommandContext(new Actor(Roles.System, "compartment-repair"));
        foreach (var (lockerId, number) in candidates)
        {
            var locker = new LockerId(lockerId);
            var (state, version) = await streams.LoadAsync(Deciders.Locker, Deciders.Stream(locker), cancellationToken);
            if (state is not Locker.Registered registered || !registered.Compartments.TryGetValue(number, out var compartment))
            {
                continue;
            }

            if (await JudgeAsync(locker, compartment, version, now, cancellationToken) is not { } verdict)
            {
                continue;
            }

            var done = false;
            if (repair && verdict.Mend is { } mend)
            {
                try
                {
                    await mend(context, cancellationToken);
                    done = true;
                    logger.LogWarning("Locker {Locker} compartment {Compartment} repaired: {Repair}", lockerId, number, verdict.Repair);
                }
                catch (DomainRuleViolation refused)
                {
                    // Changed under us (a courier was quicker): the next run looks again.
                    logger.LogInformation("Locker {Locker} compartment {Compartment} not repaired: {Reason}", lockerId, number, refused.Message);
                }
            }

            findings.Add(new CompartmentFinding(lockerId, number, compartment.Parcel?.Value ?? verdict.Claimant?.Value, verdict.Found, verdict.Expected, verdict.Repair, done));
        }

        return new CompartmentCheck(now, candidates.Count, repair, findings);
    }

    private sealed record Verdict(string Found, string Expected, string Repair, Func<CommandContext, CancellationToken, Task>? Mend, ParcelId? Claimant = null);

    private async Task<Verdict?> JudgeAsync(LockerId locker, Compartment compartment, long version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var number = compartment.Number;
        switch (compartment.Status)
        {
            case CompartmentStatus.Occupied { Parcel: var parcel }:
                {
                    var state = await ParcelAsync(parcel, cancellationToken);
                    if (Place(state) == (locker, number))
                    {
                        return null;
                    }

                    var why = $"its parcel {Describe(state, parcel)}";
                    return new Verdict($"occupied by {parcel}", Place(state) is null ? "free" : "free (the parcel lies elsewhere)", $"freed: {why}",
                        (context, ct) => compartments.FreeAsync(locker, number, parcel, now, context, ct, why));
                }

            case CompartmentStatus.Reserved { Parcel: var parcel }:
                {
                    var state = await ParcelAsync(parcel, cancellationToken);
                    if (Place(state) == (locker, number))
                    {
                        return new Verdict($"reserved for {parcel}", $"occupied by {parcel}", "occupied: the parcel lies in it",
                            (context, ct) => compartments.OccupyAsync(locker, number, parcel, now, context, ct));
                    }

                    if (state is Parcel.Registered or Parcel.DroppedAtLocker or Parcel.PickedUp { Returning: false })
                    {
                        if (await PlannedThereAsync(parcel, locker, cancellationToken) || now - await ReservedAtAsync(locker, number, parcel, version, cancellationToken) < Grace)
                        {
                            return null;
                        }

                        const string notWanted = "not deposited, and no round plans its deposit here";
                        return new Verdict($"reserved for {parcel}", "free", $"reservation cancelled: {notWanted}",
                            (context, ct) => compartments.CancelReservationAsync(locker, parcel, context, ct, notWanted));
                    }

                    var why = $"its parcel {Describe(state, parcel)}";
                    return new Verdict($"reserved for {parcel}", "free", $"reservation cancelled: {why}",
                        (context, ct) => compartments.CancelReservationAsync(locker, parcel, context, ct, why));
                }

            case CompartmentStatus.Free:
                {
                    // A parcel says it lies here (what followed its deposit never ran).
                    foreach (var claimant in await parcels.ClaimingAsync(locker, number, cancellationToken))
                    {
                        if (Place(await ParcelAsync(claimant, cancellationToken)) == (locker, number))
                        {
                            return new Verdict("free", $"occupied by {claimant}", "occupied: the parcel lies in it",
                                (context, ct) => compartments.OccupyAsync(locker, number, claimant, now, context, ct), claimant);
                        }
                    }

                    return null;
                }

            default:
                return null;
        }
    }

    /// <summary>The compartment a parcel lies in, when it lies in one.</summary>
    private static (LockerId, int)? Place(Parcel state) => state switch
    {
        Parcel.AwaitingCollection { Point: CollectionPoint.InLocker at } => (at.Locker, at.Compartment),
        Parcel.Expired { Point: CollectionPoint.InLocker at } => (at.Locker, at.Compartment),
        Parcel.DroppedAtLocker d => (d.Locker, d.Compartment),
        Parcel.InHomeBox h => (h.Box, h.Compartment),
        _ => null,
    };

    private static string Describe(Parcel state, ParcelId parcel) => state switch
    {
        Parcel.NotRegistered => $"{parcel} does not exist",
        Parcel.Collected => "was collected",
        Parcel.Cancelled => "was cancelled",
        Parcel.Delivered => "was delivered at home",
        Parcel.Returned => "went back to its shop",
        Parcel.PickedUp => "was taken out by a courier",
        Parcel.AwaitingCollection or Parcel.Expired or Parcel.DroppedAtLocker or Parcel.InHomeBox => "lies in another compartment",
        _ => "is elsewhere",
    };

    private async Task<Parcel> ParcelAsync(ParcelId parcel, CancellationToken cancellationToken) =>
        (await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(parcel), cancellationToken)).State;

    // A round that still plans to put the parcel in this locker.
    private async Task<bool> PlannedThereAsync(ParcelId parcel, LockerId locker, CancellationToken cancellationToken)
    {
        if (await planning.RoundOfParcelAsync(parcel, cancellationToken) is not { } round)
        {
            return false;
        }

        return Round.TrackOf((await streams.LoadAsync(Planning.RoundStreams.Decider, round.Stream, cancellationToken)).State) is { } track
            && track.Stops.Any(s => !s.Completed && s.Stop.Place is StopPlace.Locker l && l.Id == locker
                && s.Stop.Parcels.Any(t => t.Parcel == parcel && t.Kind == TaskKind.Deposit));
    }

    // When the reservation was made: the last CompartmentReserved of that compartment for that parcel.
    private async Task<DateTimeOffset> ReservedAtAsync(LockerId locker, int number, ParcelId parcel, long version, CancellationToken cancellationToken)
    {
        var recorded = await streams.Store.ReadStreamAsync(Deciders.Stream(locker), Math.Max(1, version - 500), cancellationToken);
        return recorded.Select(streams.Serializer.Deserialize).OfType<CompartmentReserved>()
            .LastOrDefault(r => r.Compartment == number && r.Parcel == parcel)?.At ?? DateTimeOffset.MinValue;
    }
}
