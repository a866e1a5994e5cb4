using System.Collections.Immutable;

namespace Logistics.Domain.Rounds;

/// <summary>A stop as it goes: which of its parcels are done or failed, and whether the stop is over.</summary>
public sealed record StopProgress(RoundStop Stop, ImmutableHashSet<ParcelId> Done, ImmutableHashSet<ParcelId> Failed, bool Completed)
{
    public static StopProgress Start(RoundStop stop) => new(stop, [], [], false);

    public bool IsSettled(ParcelId parcel) => Done.Contains(parcel) || Failed.Contains(parcel);

    /// <summary>Something happened here already: such a stop is kept by a re-plan.</summary>
    public bool Started => Completed || !Done.IsEmpty || !Failed.IsEmpty;

    public bool AllSettled => Stop.Parcels.All(t => IsSettled(t.Parcel));
}

/// <summary>What a round holds in every state after planning.</summary>
public sealed record RoundTrack(RoundId Id, CourierId Courier, ImmutableList<StopProgress> Stops, double DistanceKm, DateTimeOffset PlannedAt)
{
    public StopProgress? Stop(string stopId) => Stops.Find(s => s.Stop.StopId == stopId);

    /// <summary>
    /// Every stop is over, and every parcel whose home delivery failed was then done at a later stop: a failed
    /// delivery leaves a parcel on board, so the round is not over until it is deposited somewhere.
    /// </summary>
    public bool Finished => Stops.All(s => s.Completed)
        && Stops.SelectMany(s => s.Failed).All(p => Stops.Exists(s => s.Done.Contains(p)));

    internal RoundTrack With(string stopId, Func<StopProgress, StopProgress> change) =>
        this with { Stops = Stops.Select(s => s.Stop.StopId == stopId ? change(s) : s).ToImmutableList() };
}

/// <summary>The state of a courier's round.</summary>
public abstract record Round
{
    private Round()
    {
    }

    public static Round Initial { get; } = new NotPlanned();

    public sealed record NotPlanned : Round;

    public sealed record Active(RoundTrack Track) : Round;

    public sealed record Completed(RoundTrack Track, DateTimeOffset At) : Round;

    public sealed record Cancelled(RoundTrack Track, string Reason, DateTimeOffset At) : Round;

    public static RoundTrack? TrackOf(Round state) => state switch
    {
        Active a => a.Track,
        Completed c => c.Track,
        Cancelled c => c.Track,
        _ => null,
    };

    /// <summary>
    /// Applies one event. Events come from <see cref="RoundDecider.Decide"/>, so one that does not fit the state
    /// can only come from a foreign write; it is ignored so that a history always replays.
    /// </summary>
    public static Round Evolve(Round state, RoundEvent e) => (state, e) switch
    {
        (NotPlanned, RoundPlanned p) => new Active(new RoundTrack(p.RoundId, p.Courier, [.. p.Stops.Select(StopProgress.Start)], p.DistanceKm, p.At)),
        (Active a, RoundReplanned r) => new Active(a.Track with { Stops = Replan(a.Track.Stops, r.Stops), DistanceKm = r.DistanceKm }),
        (Active a, ParcelActionDone d) => new Active(a.Track.With(d.StopId, s => s with { Done = s.Done.Add(d.Parcel) })),
        (Active a, StopFailed f) => new Active(a.Track.With(f.StopId, s => s with { Failed = s.Failed.Add(f.Parcel) })),
        (Active a, StopCompleted c) => new Active(a.Track.With(c.StopId, s => s with { Completed = true })),
        (Active a, RoundCompleted c) => new Completed(a.Track, c.At),
        (Active a, RoundCancelled c) => new Cancelled(a.Track, c.Reason, c.At),
        _ => state,
    };

    public static Round Fold(IEnumerable<RoundEvent> events) => events.Aggregate(Initial, Evolve);

    // Stops with something done stay, cut down to what was done; the rest give way to the new plan.
    private static ImmutableList<StopProgress> Replan(ImmutableList<StopProgress> stops, IReadOnlyList<RoundStop> remaining) =>
    [
        .. stops.Where(s => s.Started).Select(s => s.Completed
            ? s
            : s with { Stop = s.Stop with { Parcels = [.. s.Stop.Parcels.Where(t => s.IsSettled(t.Parcel))] }, Completed = true }),
        .. remaining.Select(StopProgress.Start),
    ];
}
