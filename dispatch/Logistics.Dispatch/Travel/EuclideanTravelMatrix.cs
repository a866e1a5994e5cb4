namespace Logistics.Dispatch.Travel;

/// <summary>
/// Plane coordinates, Euclidean distance in double precision, not rounded (the benchmarks' convention);
/// duration = distance / speed for each profile's speed.
/// </summary>
public sealed class EuclideanTravelMatrix : ITravelMatrix
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _speeds;

    public EuclideanTravelMatrix(IReadOnlyList<(double X, double Y)> points, IReadOnlyList<double>? speeds = null)
    {
        _x = points.Select(p => p.X).ToArray();
        _y = points.Select(p => p.Y).ToArray();
        _speeds = speeds?.ToArray() ?? [1.0];
        if (_speeds.Any(s => !(s > 0)))
        {
            throw new ArgumentException("Every speed must be positive.", nameof(speeds));
        }
    }

    public int Locations => _x.Length;

    public int Profiles => _speeds.Length;

    public double Distance(int from, int to)
    {
        var dx = _x[from] - _x[to];
        var dy = _y[from] - _y[to];
        return Math.Sqrt((dx * dx) + (dy * dy));
    }

    public double Duration(int profile, int from, int to) => Distance(from, to) / _speeds[profile];
}
