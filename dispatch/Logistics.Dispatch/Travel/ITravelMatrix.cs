namespace Logistics.Dispatch.Travel;

/// <summary>
/// Distances and durations between locations, in double precision. Durations depend on a travel profile
/// (a cargo bike and a van do not take the same time), distances do not.
/// </summary>
public interface ITravelMatrix
{
    int Locations { get; }

    int Profiles { get; }

    double Distance(int from, int to);

    double Duration(int profile, int from, int to);
}
