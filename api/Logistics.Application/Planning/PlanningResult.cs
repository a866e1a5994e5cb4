namespace Logistics.Application.Planning;

/// <summary>
/// The answer of a planning run: rounds active after it, parcels in them, parcels left out and why (deferred to a
/// later plan), priority parcels the plan delivers after the time promised (who, and by how much), and whether travel
/// times came from the streets or from straight lines.
/// </summary>
public sealed record PlanningResult(int Rounds, int ParcelsPlanned, IReadOnlyList<UnplacedParcel> Unplaced)
{
    public IReadOnlyList<LateParcel> Late { get; init; } = [];

    /// <summary><c>streets</c> (the street graph) or <c>straight-lines</c>.</summary>
    public string Travel { get; init; } = PlanningTravel.StraightLines;
}

/// <summary>
/// A parcel no round takes this time; the next plan tries again. <see cref="Reason"/> starts with <see cref="Code"/>
/// (too-big, window-unreachable, no-allowed-courier, no-access, over-shift-length, no-room-left, locker-full,
/// no-courier, courier-off-shift, unknown-place), then a sentence.
/// </summary>
public sealed record UnplacedParcel(string ParcelId, string Reason)
{
    public string Code => Reason.Split(" — ", 2)[0];
}

/// <summary>A priority parcel the plan delivers after the time promised: its courier, when it was promised, when it is planned, how many minutes late.</summary>
public sealed record LateParcel(string ParcelId, string CourierId, string CourierName, DateTimeOffset PromisedBy, DateTimeOffset PlannedAt, int MinutesLate);
