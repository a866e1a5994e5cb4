namespace Logistics.Dispatch.Model;

/// <summary>
/// One vehicle of a heterogeneous fleet: where it starts and ends (locations in the travel matrix), its shift,
/// its capacity, its travel profile (a row of durations in the matrix) and what it costs under <see cref="Objective.Cost"/>.
/// </summary>
public sealed record Vehicle(int StartLocation, int EndLocation, TimeWindow Shift, int Capacity, int Profile = 0, VehicleCosts? Costs = null, string? Name = null)
{
    public VehicleCosts CostsOrDefault => Costs ?? VehicleCosts.Default;
}

/// <summary>A fixed price for using the vehicle, then a price per distance unit and per time unit of driving (service times are the same whoever serves, and waiting is not priced).</summary>
public sealed record VehicleCosts(double Fixed, double PerDistance, double PerTime)
{
    public static VehicleCosts Default { get; } = new(0, 1, 0);
}
