using Logistics.Dispatch.Model;
using Logistics.Dispatch.Search;
using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.City;

/// <summary>
/// Generated neighbourhood instances: shops, lockers and homes scattered around a town centre, parcels from a
/// shop to a locker (all-day window) or to a home (a two-hour window), and couriers from the hub on cargo bikes
/// (small, slow, cheap) and vans (large, faster, dearer). Times in seconds from midnight, distances in metres,
/// travel from the default haversine provider. The same seed gives the same town.
/// </summary>
public static class CityGenerator
{
    private const double Hour = 3600;

    public static CityInstance Generate(CitySettings settings, ITravelMatrixProvider? travel = null)
    {
        var rng = new Rng((ulong)settings.Seed);
        var centre = new GeoPoint(45.7640, 4.8357);
        GeoPoint Scatter(double radius)
        {
            // Denser near the centre, as town-centre shops are.
            var r = radius * Math.Sqrt(rng.NextDouble()) * (0.3 + (0.7 * rng.NextDouble()));
            var angle = 2 * Math.PI * rng.NextDouble();
            return new GeoPoint(centre.Latitude + (r * Math.Cos(angle) / 111_195), centre.Longitude + (r * Math.Sin(angle) / (111_195 * Math.Cos(centre.Latitude * Math.PI / 180))));
        }

        var shops = Math.Max(1, settings.Parcels / 10);
        var lockers = Math.Max(1, settings.Parcels / 60);
        var homes = Math.Max(1, settings.Parcels * 2 / 5);
        var points = new List<GeoPoint> { centre };
        points.AddRange(Enumerable.Range(0, shops).Select(_ => Scatter(settings.RadiusMetres * 0.6)));
        points.AddRange(Enumerable.Range(0, lockers).Select(_ => Scatter(settings.RadiusMetres)));
        points.AddRange(Enumerable.Range(0, homes).Select(_ => Scatter(settings.RadiusMetres)));
        int ShopLocation(int i) => 1 + i;
        int LockerLocation(int i) => 1 + shops + i;
        int HomeLocation(int i) => 1 + shops + lockers + i;
        TravelProfile[] profiles = [new("cargo bike", 4.5), new("van", 6.0)];
        var matrix = (travel ?? new HaversineTravelMatrixProvider(1.3)).Build(points, profiles);
        var stops = new List<Stop>();
        var requests = new List<Request>();
        var toHomes = 0;
        for (var p = 0; p < settings.Parcels; p++)
        {
            var shop = rng.Next(shops);
            var shopOpen = rng.NextDouble() < 0.5 ? new TimeWindow(9 * Hour, 12 * Hour) : new TimeWindow(9 * Hour, 18 * Hour);
            stops.Add(new Stop(ShopLocation(shop), shopOpen, 60));
            if (rng.NextDouble() < 0.6)
            {
                stops.Add(new Stop(LockerLocation(rng.Next(lockers)), new TimeWindow(8 * Hour, 20 * Hour), 30));
            }
            else
            {
                toHomes++;
                var from = (10 + rng.Next(8)) * Hour;
                stops.Add(new Stop(HomeLocation(rng.Next(homes)), new TimeWindow(from, from + (2 * Hour)), 120));
            }

            var size = rng.Next(10) switch { < 6 => 1, < 9 => 2, _ => 4 };
            requests.Add(new Request(stops.Count - 2, stops.Count - 1, size, $"parcel-{p}"));
        }

        var vehicles = new List<Vehicle>();
        for (var c = 0; c < settings.Couriers; c++)
        {
            var shift = (c % 3) switch { 0 => new TimeWindow(8 * Hour, 16 * Hour), 1 => new TimeWindow(10 * Hour, 19 * Hour), _ => new TimeWindow(8 * Hour, 20 * Hour) };
            vehicles.Add(c % 5 < 3
                ? new Vehicle(0, 0, shift, 20, 0, new VehicleCosts(20, 0.00005, 0.005), $"bike-{c}")
                : new Vehicle(0, 0, shift, 80, 1, new VehicleCosts(40, 0.0003, 0.006), $"van-{c}"));
        }

        var problem = new ProblemData(matrix, stops, requests, vehicles, Objective.Priced);
        return new CityInstance(problem, shops, lockers, homes, toHomes);
    }
}

/// <summary>How big a town to generate.</summary>
public sealed record CitySettings(int Parcels = 2000, int Couriers = 50, int Seed = 1, double RadiusMetres = 4000);

/// <summary>A generated town: the problem and what it is made of.</summary>
public sealed record CityInstance(ProblemData Problem, int Shops, int Lockers, int Homes, int ParcelsToHomes);
