using System.Globalization;

namespace Logistics.Perf.Routing;

/// <summary>One instance's checked result beside its best-known solution.</summary>
internal sealed record Row(string Name, string Family, int Vehicles, double Distance, (int Vehicles, double Distance)? Best, double Seconds, bool Feasible, long Iterations, double FleetSeconds)
{
    public const string Header = "instance    veh  bks-veh     distance  bks-distance    gap%   time-s  feasible  iterations  veh-at-s";

    public bool AtBestVehicles => Best is { } b && Vehicles <= b.Vehicles;

    public int ExtraVehicles => Best is { } b ? Math.Max(0, Vehicles - b.Vehicles) : 0;

    /// <summary>Distance gap in percent, only where the vehicle count matches the best-known one.</summary>
    public double? Gap => Best is { } b && Vehicles == b.Vehicles ? 100 * (Distance - b.Distance) / b.Distance : null;

    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-10} {Vehicles,4} {Best?.Vehicles.ToString(CultureInfo.InvariantCulture) ?? "",8} {Distance,12:F2} {(Best is { } b ? b.Distance.ToString("F2", CultureInfo.InvariantCulture) : ""),13} {(Gap is { } g ? g.ToString("F2", CultureInfo.InvariantCulture) : ""),7} {Seconds,8:F2} {(Feasible ? "yes" : "NO"),9} {Iterations,11} {FleetSeconds,9:F2}");
}
