using System.Globalization;
using Logistics.Domain;
using Logistics.Domain.Couriers;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Planning;

/// <summary>
/// A part of town where only some vehicles may serve a stop, and only at some hours: a pedestrian zone where cargo
/// bikes go at any time and vans only before 11:00. A stop is in the zone when its shop or locker is listed in
/// <see cref="Places"/> or its point lies inside <see cref="Polygon"/> (corners in order, latitude and longitude).
/// A vehicle not listed in <see cref="Allowed"/> may not serve stops in the zone.
/// </summary>
public sealed record AccessZone(string Name, IReadOnlyList<ZoneAccess> Allowed)
{
    public IReadOnlyList<GeoPoint> Polygon { get; init; } = [];

    /// <summary>Shop and locker ids in the zone.</summary>
    public IReadOnlyList<string> Places { get; init; } = [];

    public bool Contains(StopPlace place) => place switch
    {
        StopPlace.Shop s when Places.Contains(s.Id.Value, StringComparer.Ordinal) => true,
        StopPlace.Locker l when Places.Contains(l.Id.Value, StringComparer.Ordinal) => true,
        _ => place.Point() is { } point && Inside(point),
    };

    // Ray casting on latitude and longitude: a town's zone is small enough for the plane.
    private bool Inside(GeoPoint point)
    {
        var inside = false;
        for (int i = 0, j = Polygon.Count - 1; i < Polygon.Count; j = i++)
        {
            var (a, b) = (Polygon[i], Polygon[j]);
            if ((a.Latitude > point.Latitude) != (b.Latitude > point.Latitude)
                && point.Longitude < ((b.Longitude - a.Longitude) * (point.Latitude - a.Latitude) / (b.Latitude - a.Latitude)) + a.Longitude)
            {
                inside = !inside;
            }
        }

        return inside;
    }
}

/// <summary>A vehicle allowed in a zone, from and to a time of day ("HH:mm", the clock's local time; null: from midnight, until midnight).</summary>
public sealed record ZoneAccess(Vehicle Vehicle, string? From = null, string? To = null)
{
    /// <summary>Today's hours, on the day of <paramref name="now"/> in <paramref name="zone"/>; null when at any time.</summary>
    public (DateTimeOffset From, DateTimeOffset To)? Hours(DateTimeOffset now, TimeZoneInfo zone)
    {
        if (From is null && To is null)
        {
            return null;
        }

        var day = TimeZoneInfo.ConvertTime(now, zone).Date;
        DateTimeOffset At(string? time, TimeSpan otherwise)
        {
            var local = day + (time is null ? otherwise : TimeOnly.ParseExact(time.Trim(), "HH:mm", CultureInfo.InvariantCulture).ToTimeSpan());
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        return (At(From, TimeSpan.Zero), At(To, TimeSpan.FromDays(1)));
    }
}
