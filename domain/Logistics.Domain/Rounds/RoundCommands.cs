namespace Logistics.Domain.Rounds;

/// <summary>Commands on a round's stream. Only <see cref="PlanRound"/> names the round. Time always arrives as <c>Now</c>.</summary>
public abstract record RoundCommand;

/// <summary>The planner gives a courier a new round.</summary>
public sealed record PlanRound(RoundId RoundId, CourierId Courier, IReadOnlyList<RoundStop> Stops, double DistanceKm, DateTimeOffset Now) : RoundCommand;

/// <summary>The planner replaces what is not started yet; what was done stays. Actions already done are left out of <paramref name="Stops"/>.</summary>
public sealed record ReplanRound(IReadOnlyList<RoundStop> Stops, double DistanceKm, DateTimeOffset Now) : RoundCommand
{
    /// <summary>What changes for the courier and why, carried by the re-plan's event so the courier is told.</summary>
    public IReadOnlyList<RoundChange> Changes { get; init; } = [];
}

/// <summary>A parcel action was done by <paramref name="By"/>: marks it at the first open stop that plans it.</summary>
public sealed record RecordParcelDone(ParcelId Parcel, TaskKind Kind, CourierId By, DateTimeOffset Now) : RoundCommand;

/// <summary>Nobody was home for this parcel.</summary>
public sealed record RecordDeliveryFailed(ParcelId Parcel, CourierId By, PersonalText Reason, DateTimeOffset Now) : RoundCommand;

/// <summary>The courier says the stop is done (its parcel actions were done first, one by one).</summary>
public sealed record CompleteStop(string StopId, CourierId By, DateTimeOffset Now) : RoundCommand;

public sealed record CancelRound(string Reason, DateTimeOffset Now) : RoundCommand;
