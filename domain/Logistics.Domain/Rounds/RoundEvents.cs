namespace Logistics.Domain.Rounds;

/// <summary>What happened to a courier's round. Class names are stored names: never rename one.</summary>
public abstract record RoundEvent(RoundId RoundId, DateTimeOffset At);

public sealed record RoundPlanned(RoundId RoundId, CourierId Courier, IReadOnlyList<RoundStop> Stops, double DistanceKm, DateTimeOffset At)
    : RoundEvent(RoundId, At);

/// <summary>
/// The stops not yet started are replaced by <paramref name="Stops"/>; stops with something done are kept (a stop
/// partly done keeps what was done and counts as completed, its other parcels being planned again elsewhere).
/// </summary>
public sealed record RoundReplanned(RoundId RoundId, IReadOnlyList<RoundStop> Stops, double DistanceKm, DateTimeOffset At)
    : RoundEvent(RoundId, At)
{
    /// <summary>What the re-plan changed for the courier, parcel by parcel, and why (empty: the same parcels, another order).</summary>
    public IReadOnlyList<RoundChange> Changes { get; init; } = [];
}

/// <summary>One parcel's action at a stop was done (through the round or through the parcel's own endpoint).</summary>
public sealed record ParcelActionDone(RoundId RoundId, string StopId, ParcelId Parcel, TaskKind Kind, DateTimeOffset At)
    : RoundEvent(RoundId, At);

/// <summary>
/// A home delivery failed; the parcel stays on board and is planned again (to a locker). The reason is the courier's,
/// sealed for the parcel's recipient as on the parcel's <c>HomeDeliveryFailed</c>.
/// </summary>
public sealed record StopFailed(RoundId RoundId, string StopId, ParcelId Parcel, PersonalText Reason, DateTimeOffset At)
    : RoundEvent(RoundId, At);

public sealed record StopCompleted(RoundId RoundId, string StopId, DateTimeOffset At) : RoundEvent(RoundId, At);

public sealed record RoundCompleted(RoundId RoundId, DateTimeOffset At) : RoundEvent(RoundId, At);

/// <summary>
/// The round stops (its courier left the shift, or nothing is left to do); what was not picked up goes back to planning.
/// The reason is the planner's, about the round, not any recipient's: a plain string.
/// </summary>
public sealed record RoundCancelled(RoundId RoundId, CourierId Courier, string Reason, DateTimeOffset At) : RoundEvent(RoundId, At);
