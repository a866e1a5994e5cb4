namespace Logistics.Dispatch.Travel;

/// <summary>A full matrix held in arrays: one distance row-major array, one duration array per profile.</summary>
public sealed class DenseTravelMatrix : ITravelMatrix
{
    private readonly double[] _distances;
    private readonly double[][] _durations;

    public DenseTravelMatrix(int locations, double[] distances, double[][] durations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(locations);
        if (distances.Length != locations * locations || durations.Any(d => d.Length != locations * locations))
        {
            throw new ArgumentException($"A matrix over {locations} locations needs {locations * locations} entries per array.");
        }

        Locations = locations;
        _distances = distances;
        _durations = durations;
    }

    public int Locations { get; }

    public int Profiles => _durations.Length;

    public double Distance(int from, int to) => _distances[(from * Locations) + to];

    public double Duration(int profile, int from, int to) => _durations[profile][(from * Locations) + to];
}
