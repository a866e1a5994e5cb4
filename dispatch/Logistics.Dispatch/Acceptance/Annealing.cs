namespace Logistics.Dispatch.Acceptance;

/// <summary>
/// Simulated annealing as SISR uses it: accept a candidate whose cost is below current − T·ln(U); the
/// temperature falls geometrically from start to end as the progress goes from 0 to 1.
/// </summary>
internal sealed class Annealing(double start, double end)
{
    public double Temperature(double progress) => start * Math.Pow(end / start, Math.Clamp(progress, 0, 1));

    public static bool Accept(long candidateCost, long currentCost, double temperature, double uniform) =>
        candidateCost < currentCost - (temperature * Math.Log(1 - uniform));
}
