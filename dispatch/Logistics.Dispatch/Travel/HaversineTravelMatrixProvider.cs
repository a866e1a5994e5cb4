namespace Logistics.Dispatch.Travel;

/// <summary>
/// The default provider: great-circle distance times a detour factor (streets are not straight lines;
/// about 1.3 in a town centre), at each profile's speed. Distances in metres, durations in seconds.
/// </summary>
public sealed class HaversineTravelMatrixProvider(double detourFactor = 1.3) : ITravelMatrixProvider
{
    private const double EarthRadiusMetres = 6_371_000;

    public ITravelMatrix Build(IReadOnlyList<GeoPoint> points, IReadOnlyList<TravelProfile> profiles)
    {
        if (detourFactor < 1)
        {
            throw new InvalidOperationException($"A detour factor of {detourFactor} would beat the straight line; it must be 1 or more.");
        }

        var n = points.Count;
        var distances = new double[n * n];
        for (var a = 0; a < n; a++)
        {
            for (var b = a + 1; b < n; b++)
            {
                var d = Haversine(points[a], points[b]) * detourFactor;
                distances[(a * n) + b] = d;
                distances[(b * n) + a] = d;
            }
        }

        var durations = profiles.Select(p => distances.Select(d => d / p.MetresPerSecond).ToArray()).ToArray();
        return new DenseTravelMatrix(n, distances, durations);
    }

    public static double Haversine(GeoPoint a, GeoPoint b)
    {
        static double Rad(double deg) => deg * Math.PI / 180;
        var dLat = Rad(b.Latitude - a.Latitude);
        var dLon = Rad(b.Longitude - a.Longitude);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(Rad(a.Latitude)) * Math.Cos(Rad(b.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
