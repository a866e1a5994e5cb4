namespace Logistics.Dispatch.Model;

/// <summary>
/// One vehicle of a heterogeneous fleet: where it starts and ends (locations in the travel matrix), its shift,
/// its capacity, its travel profile (a row of durations in the matrix) and what it costs under <see cref="Objective.Cost"/>.
/// <see cref="MaxDuration"/> caps the round from leaving the start (as late as the first stop allows) to arriving at
/// the end, waiting and the break included; <see cref="Break"/> is the courier's break.
/// </summary>
public sealed record Vehicle(int StartLocation, int EndLocation, TimeWindow Shift, int Capacity, int Profile = 0, VehicleCosts? Costs = null, string? Name = null)
{
    public VehicleCosts CostsOrDefault => Costs ?? VehicleCosts.Default;

    public double? MaxDuration { get; init; }

    public BreakRule? Break { get; init; }
}

/// <summary>A fixed price for using the vehicle, then a price per distance unit and per time unit of driving (service times are the same whoever serves, and waiting is not priced).</summary>
public sealed record VehicleCosts(double Fixed, double PerDistance, double PerTime)
{
    public static VehicleCosts Default { get; } = new(0, 1, 0);
}

/// <summary>
/// A break of <see cref="Length"/> that must start at the latest <see cref="After"/> the round left its start, when
/// the round lasts longer than that (20 minutes after 6 hours). It is taken between two stops: in a wait long enough
/// to hold it, or else just before the stop that would end past the limit.
/// </summary>
public sealed record BreakRule(double After, double Length);
