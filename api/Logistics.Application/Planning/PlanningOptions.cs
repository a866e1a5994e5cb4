using Logistics.Domain.Couriers;

namespace Logistics.Application.Planning;

/// <summary>How rounds are planned: when (cut-off times of day), how long the solver searches, how fast couriers go.</summary>
public sealed record PlanningOptions
{
    /// <summary>Times of day ("HH:mm", in the clock's local time zone) at which a planning runs once.</summary>
    public IReadOnlyList<string> CutOffs { get; init; } = ["08:30", "13:30"];

    /// <summary>Wall-clock budget of one solve (real time, whatever the business clock says).</summary>
    public double SolverSeconds { get; init; } = 2;

    /// <summary>Iteration cap: small instances stop long before the time limit, and the same input then gives the same plan.</summary>
    public long SolverIterations { get; init; } = 20_000;

    public int Seed { get; init; } = 1;

    /// <summary>Streets are not straight lines: distances are the great circle times this factor.</summary>
    public double DetourFactor { get; init; } = 1.3;

    public IReadOnlyDictionary<Vehicle, double> SpeedKmh { get; init; } = new Dictionary<Vehicle, double>
    {
        [Vehicle.CargoBike] = 13,
        [Vehicle.Van] = 20,
    };

    /// <summary>A shift's length from its start: the round must end by then.</summary>
    public TimeSpan ShiftLength { get; init; } = TimeSpan.FromHours(8);

    public TimeSpan PickupTime { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan DepositTime { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan HomeDeliveryTime { get; init; } = TimeSpan.FromMinutes(3);
}
