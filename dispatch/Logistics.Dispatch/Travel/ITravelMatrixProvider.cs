namespace Logistics.Dispatch.Travel;

/// <summary>
/// Builds the matrix for a set of points and travel profiles. The default is straight-line distance times a
/// detour factor (<see cref="HaversineTravelMatrixProvider"/>); a road-network engine can implement it instead.
/// </summary>
public interface ITravelMatrixProvider
{
    ITravelMatrix Build(IReadOnlyList<GeoPoint> points, IReadOnlyList<TravelProfile> profiles);
}

/// <summary>A point on Earth in degrees.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude);

/// <summary>A way of travelling: average speed in metres per second.</summary>
public sealed record TravelProfile(string Name, double MetresPerSecond);
