namespace Logistics.Application.Planning;

/// <summary>The answer of a planning run: rounds active after it, parcels in them, parcels left out and why.</summary>
public sealed record PlanningResult(int Rounds, int ParcelsPlanned, IReadOnlyList<UnplacedParcel> Unplaced);

public sealed record UnplacedParcel(string ParcelId, string Reason);
