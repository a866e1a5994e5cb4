using static Logistics.Domain.Rounds.Round;

namespace Logistics.Domain.Rounds;

/// <summary>
/// Decides what a command on a round produces. Refusals throw <see cref="DomainRuleViolation"/> with a stable code;
/// repeats of something already recorded (a parcel action reported twice, a re-plan that changes nothing) return no events.
/// </summary>
public static class RoundDecider
{
    public static RoundEvent[] Decide(RoundCommand command, Round state) => (command, state) switch
    {
        (PlanRound c, NotPlanned) => Plan(c),
        (PlanRound c, _) when TrackOf(state) is { } t && t.Id == c.RoundId && t.Courier == c.Courier && t.PlannedAt == c.Now => [],
        (PlanRound c, _) => throw new DomainRuleViolation("round.already-planned", $"Round {c.RoundId} is already planned; re-plan it instead."),
        (_, NotPlanned) => throw new DomainRuleViolation("round.not-planned", "This round was never planned."),
        (CancelRound, Cancelled) => [],
        (_, Cancelled c) => throw new DomainRuleViolation(
            "round.cancelled", $"Round {c.Track.Id} was cancelled at {Moment.Format(c.At)} ({c.Reason}); it accepts no more changes."),
        (CompleteStop c, Completed s) => CompleteStop(c, s.Track),
        (RecordParcelDone c, Completed s) => RecordDone(c, s.Track),
        (_, Completed c) => throw new DomainRuleViolation(
            "round.completed", $"Round {c.Track.Id} was completed at {Moment.Format(c.At)}; a new round is planned for new work."),
        (ReplanRound c, Active s) => Replan(c, s.Track),
        (RecordParcelDone c, Active s) => RecordDone(c, s.Track),
        (RecordDeliveryFailed c, Active s) => RecordFailed(c, s.Track),
        (CompleteStop c, Active s) => CompleteStop(c, s.Track),
        (CancelRound c, Active s) => [new RoundCancelled(s.Track.Id, s.Track.Courier, c.Reason, c.Now)],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown round command."),
    };

    private static RoundEvent[] Plan(PlanRound c)
    {
        if (string.IsNullOrWhiteSpace(c.RoundId.Value))
        {
            throw new DomainRuleViolation("round.id-missing", "A round needs an id.");
        }

        if (c.Stops.Count == 0)
        {
            throw new DomainRuleViolation("round.no-stops", $"Round {c.RoundId} has no stop; a courier with nothing to do gets no round.");
        }

        Check(c.RoundId, c.Stops, []);
        return [new RoundPlanned(c.RoundId, c.Courier, c.Stops, c.DistanceKm, c.Now)];
    }

    private static RoundEvent[] Replan(ReplanRound c, RoundTrack track)
    {
        var kept = track.Stops.Where(s => s.Started).ToList();
        var settled = kept.SelectMany(s => s.Stop.Parcels.Where(t => s.IsSettled(t.Parcel)).Select(t => (t.Parcel, t.Kind))).ToHashSet();

        // An action done meanwhile (the courier was quicker than the planner) is not planned again.
        var remaining = c.Stops
            .Select(s => s with { Parcels = [.. s.Parcels.Where(t => !settled.Contains((t.Parcel, t.Kind)))] })
            .Where(s => s.Parcels.Count > 0)
            .ToList();
        Check(track.Id, remaining, [.. kept.Select(s => s.Stop.StopId)]);

        var pending = track.Stops.Where(s => !s.Started).Select(s => s.Stop).ToList();
        if (pending.Count == remaining.Count && pending.Zip(remaining).All(p => SameWork(p.First, p.Second)))
        {
            return [];
        }

        RoundEvent replanned = new RoundReplanned(track.Id, remaining, c.DistanceKm, c.Now) { Changes = c.Changes };
        if (remaining.Count > 0)
        {
            return [replanned];
        }

        var after = ((Active)Evolve(new Active(track), replanned)).Track;
        return kept.Count == 0
            ? [replanned, new RoundCancelled(track.Id, track.Courier, "nothing left to do", c.Now)]
            : after.Finished ? [replanned, new RoundCompleted(track.Id, c.Now)] : [replanned];
    }

    private static RoundEvent[] RecordDone(RecordParcelDone c, RoundTrack track)
    {
        MustBeCourier(track, c.By);
        var open = track.Stops.Find(s => !s.Completed && s.Stop.Parcels.Any(t => t.Parcel == c.Parcel && t.Kind == c.Kind) && !s.IsSettled(c.Parcel));
        if (open is null)
        {
            return track.Stops.Exists(s => s.Done.Contains(c.Parcel) && s.Stop.Parcels.Any(t => t.Parcel == c.Parcel && t.Kind == c.Kind))
                ? []
                : throw new DomainRuleViolation(
                    "round.parcel-not-planned",
                    $"Round {track.Id} plans no open {Describe(c.Kind)} of parcel {c.Parcel}.");
        }

        return Settle(track, open, new ParcelActionDone(track.Id, open.Stop.StopId, c.Parcel, c.Kind, c.Now), c.Now, mayFinish: true);
    }

    private static RoundEvent[] RecordFailed(RecordDeliveryFailed c, RoundTrack track)
    {
        MustBeCourier(track, c.By);
        var open = track.Stops.Find(s => !s.Completed && s.Stop.Parcels.Any(t => t.Parcel == c.Parcel && t.Kind == TaskKind.Deliver) && !s.IsSettled(c.Parcel));
        if (open is null)
        {
            return track.Stops.Exists(s => s.Failed.Contains(c.Parcel))
                ? []
                : throw new DomainRuleViolation("round.parcel-not-planned", $"Round {track.Id} plans no open home delivery of parcel {c.Parcel}.");
        }

        // A failure never finishes the round: the parcel is still on board and gets a deposit elsewhere.
        return Settle(track, open, new StopFailed(track.Id, open.Stop.StopId, c.Parcel, c.Reason, c.Now), c.Now, mayFinish: false);
    }

    private static RoundEvent[] CompleteStop(CompleteStop c, RoundTrack track)
    {
        MustBeCourier(track, c.By);
        var stop = track.Stop(c.StopId)
            ?? throw new DomainRuleViolation("round.unknown-stop", $"Round {track.Id} has no stop {c.StopId}.");
        if (stop.Completed)
        {
            throw new DomainRuleViolation("round.stop-already-done", $"Stop {c.StopId} of round {track.Id} is already done.");
        }

        RoundEvent completed = new StopCompleted(track.Id, c.StopId, c.Now);
        var after = ((Active)Evolve(new Active(track), completed)).Track;
        return after.Finished ? [completed, new RoundCompleted(track.Id, c.Now)] : [completed];
    }

    private static RoundEvent[] Settle(RoundTrack track, StopProgress stop, RoundEvent e, DateTimeOffset now, bool mayFinish)
    {
        var after = ((Active)Evolve(new Active(track), e)).Track;
        if (!after.Stop(stop.Stop.StopId)!.AllSettled)
        {
            return [e];
        }

        RoundEvent completed = new StopCompleted(track.Id, stop.Stop.StopId, now);
        after = ((Active)Evolve(new Active(after), completed)).Track;
        return mayFinish && after.Finished ? [e, completed, new RoundCompleted(track.Id, now)] : [e, completed];
    }

    private static void MustBeCourier(RoundTrack track, CourierId by)
    {
        if (by != track.Courier)
        {
            throw new DomainRuleViolation("round.not-your-round", $"Round {track.Id} belongs to courier {track.Courier}, not to {by}.");
        }
    }

    private static void Check(RoundId round, IReadOnlyList<RoundStop> stops, HashSet<string> taken)
    {
        var tasks = new HashSet<(ParcelId, TaskKind)>();
        foreach (var stop in stops)
        {
            if (string.IsNullOrWhiteSpace(stop.StopId) || !taken.Add(stop.StopId))
            {
                throw new DomainRuleViolation("round.duplicate-stop", $"Round {round}: stop id '{stop.StopId}' is missing or used twice.");
            }

            if (stop.Parcels.Count == 0)
            {
                throw new DomainRuleViolation("round.empty-stop", $"Round {round}: stop {stop.StopId} has no parcel to handle.");
            }

            foreach (var task in stop.Parcels)
            {
                if (!stop.Place.Allows(task.Kind))
                {
                    throw new DomainRuleViolation(
                        "round.task-misplaced", $"Round {round}: stop {stop.StopId} cannot {Describe(task.Kind)} parcel {task.Parcel} at a {stop.Place.GetType().Name.ToLowerInvariant()}.");
                }

                if (!tasks.Add((task.Parcel, task.Kind)))
                {
                    throw new DomainRuleViolation("round.duplicate-task", $"Round {round}: parcel {task.Parcel} is planned for {Describe(task.Kind)} twice.");
                }
            }
        }
    }

    /// <summary>Same place and same parcel actions: the planned arrival may move without it being a new plan.</summary>
    private static bool SameWork(RoundStop a, RoundStop b) =>
        a.StopId == b.StopId && a.Place == b.Place && a.Window == b.Window && a.Parcels.SequenceEqual(b.Parcels);

    private static string Describe(TaskKind kind) => kind switch
    {
        TaskKind.PickUp => "pick up",
        TaskKind.Deposit => "deposit",
        TaskKind.DepositAtRelay => "hand to a relay shop",
        TaskKind.ReturnToShop => "take back to its shop",
        _ => "deliver",
    };
}
