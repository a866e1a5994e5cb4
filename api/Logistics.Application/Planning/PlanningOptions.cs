using Logistics.Domain.Couriers;

namespace Logistics.Application.Planning;

/// <summary>How rounds are planned: when (cut-off times of day), how long the solver searches, how fast couriers go.</summary>
public sealed record PlanningOptions
{
    /// <summary>Times of day ("HH:mm", in the clock's local time zone) at which a planning runs once.</summary>
    public IReadOnlyList<string> CutOffs { get; init; } = ["08:30", "13:30"];

    /// <summary>
    /// Wall-clock budget of one run's solve (real time, whatever the business clock says). A cut-off solves every
    /// network in one batch and shares this budget among them by size: a deployment of many networks raises it.
    /// </summary>
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

    /// <summary>
    /// A courier's break: after this long at work (from the shift's start, or from the end of a break taken), a break
    /// of <see cref="BreakLength"/> (20 minutes after 6 hours, as the French labour code asks). Null: no break planned.
    /// </summary>
    public TimeSpan? BreakAfter { get; init; } = TimeSpan.FromHours(6);

    public TimeSpan BreakLength { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// The longest a courier works in a shift: from setting off (as late as the first stop allows) to the return, waits
    /// and the break included; once the courier has done a stop of the shift, counted from the shift's start. Null:
    /// only the shift's end (<see cref="ShiftLength"/>) bounds a round.
    /// </summary>
    public TimeSpan? MaxShiftLength { get; init; }

    /// <summary>Parts of town where only some vehicles may serve stops, at some hours (a pedestrian zone: cargo bikes any time, vans before 11:00).</summary>
    public IReadOnlyList<AccessZone> Zones { get; init; } = [];

    /// <summary>
    /// What a minute late on a priority parcel (<c>promisedBy</c>) weighs against metres driven: at 1,000 the plan makes
    /// a kilometre's detour to save a minute of lateness. A promise is a soft deadline: late is planned, and said.
    /// </summary>
    public double LatenessPerMinute { get; init; } = 1_000;

    /// <summary>
    /// Stable rounds: what giving a planned parcel to another courier costs, in metres driven (2,000: it moves only
    /// when that saves more than a 2 km detour). A parcel on no round moves freely.
    /// </summary>
    public double MoveCost { get; init; } = 2_000;

    /// <summary>Stable rounds: at most this many parcels added to or taken from a round the courier has started.</summary>
    public int MaxStartedChanges { get; init; } = 4;

    /// <summary>
    /// The schema of the street graph (osm2pgrouting's <c>ways</c>): planning routes on it once it is loaded, on
    /// straight lines until then. Null: straight lines always.
    /// </summary>
    public string? StreetSchema { get; init; } = "streets";

    /// <summary>The database holding the street graph when it is not the core's own (a graph shared by a département's deployments).</summary>
    public string? StreetConnectionString { get; init; }

    /// <summary>Threads that solve the problems of one run side by side (at a cut-off, every network's).</summary>
    public int Threads { get; init; } = 1;
}
