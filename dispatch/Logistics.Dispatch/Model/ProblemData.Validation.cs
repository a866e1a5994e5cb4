namespace Logistics.Dispatch.Model;

public sealed partial class ProblemData
{
    // Every problem is collected, not only the first: whoever built the input fixes it in one go.
    private List<string> Validate()
    {
        var problems = new List<string>();
        var locations = Travel.Locations;
        for (var s = 0; s < Stops.Count; s++)
        {
            var stop = Stops[s];
            if (stop.Location < 0 || stop.Location >= locations)
            {
                problems.Add($"Stop {s} is at location {stop.Location}, outside the travel matrix (0..{locations - 1}).");
            }

            CheckWindow(problems, $"Stop {s}", stop.Window);
            if (!(stop.ServiceTime >= 0) || double.IsInfinity(stop.ServiceTime))
            {
                problems.Add($"Stop {s} has service time {stop.ServiceTime}; it must be zero or more.");
            }

            if (stop.Due is { } due && (double.IsNaN(due) || !(stop.LatenessPrice >= 0) || double.IsInfinity(stop.LatenessPrice)))
            {
                problems.Add($"Stop {s} has a soft deadline with a lateness price of {stop.LatenessPrice}; it must be zero or more.");
            }

            foreach (var access in stop.Access ?? [])
            {
                if (access.Profile < 0 || access.Profile >= Travel.Profiles)
                {
                    problems.Add($"Stop {s} gives access to travel profile {access.Profile}, but the matrix has {Travel.Profiles}.");
                }

                if (access.During is { } during)
                {
                    CheckWindow(problems, $"Stop {s}'s access for profile {access.Profile}", during);
                }
            }
        }

        var owner = new int[Stops.Count];
        Array.Fill(owner, -1);
        for (var r = 0; r < Requests.Count; r++)
        {
            var request = Requests[r];
            if (request.Demand < 0)
            {
                problems.Add($"Request {r} has negative demand {request.Demand}.");
            }

            if (request.Pickup is { } pickup)
            {
                Claim(problems, owner, r, pickup, "pickup");
                if (pickup == request.Delivery)
                {
                    problems.Add($"Request {r} picks up and delivers at the same stop {pickup}.");
                }
            }

            Claim(problems, owner, r, request.Delivery, "delivery");
            if (request.Vehicles is { } allowed && allowed.Any(v => v < 0 || v >= Vehicles.Count))
            {
                problems.Add($"Request {r} allows a vehicle that does not exist ({string.Join(", ", allowed.Where(v => v < 0 || v >= Vehicles.Count))}).");
            }
        }

        for (var s = 0; s < Stops.Count; s++)
        {
            if (owner[s] < 0)
            {
                problems.Add($"Stop {s} belongs to no request (a delivery without its pickup, or a stray stop).");
            }
        }

        if (Vehicles.Count == 0 && Requests.Count > 0)
        {
            problems.Add("There are requests but no vehicle.");
        }

        for (var v = 0; v < Vehicles.Count; v++)
        {
            var vehicle = Vehicles[v];
            if (vehicle.StartLocation < 0 || vehicle.StartLocation >= locations || vehicle.EndLocation < 0 || vehicle.EndLocation >= locations)
            {
                problems.Add($"Vehicle {v} starts or ends outside the travel matrix (0..{locations - 1}).");
            }

            CheckWindow(problems, $"Vehicle {v}'s shift", vehicle.Shift);
            if (vehicle.Capacity < 0)
            {
                problems.Add($"Vehicle {v} has negative capacity {vehicle.Capacity}.");
            }

            if (vehicle.Profile < 0 || vehicle.Profile >= Travel.Profiles)
            {
                problems.Add($"Vehicle {v} uses travel profile {vehicle.Profile}, but the matrix has {Travel.Profiles}.");
            }

            if (vehicle.MaxDuration is { } max && !(max >= 0))
            {
                problems.Add($"Vehicle {v} has a maximum duration of {max}; it must be zero or more.");
            }

            if (vehicle.Break is { } rest && (!(rest.After > 0) || !(rest.Length >= 0) || double.IsInfinity(rest.Length)))
            {
                problems.Add($"Vehicle {v} has a break of {rest.Length} after {rest.After}; it needs a positive time before it and a length of zero or more.");
            }

            var costs = vehicle.CostsOrDefault;
            if (costs.Fixed < 0 || costs.PerDistance < 0 || costs.PerTime < 0)
            {
                problems.Add($"Vehicle {v} has a negative price.");
            }
        }

        ValidatePrevious(problems);
        return problems;
    }

    private void ValidatePrevious(List<string> problems)
    {
        if (Previous is not { } previous)
        {
            return;
        }

        if (!(previous.MoveCost >= 0) || previous.MaxStartedChanges < 0)
        {
            problems.Add("The previous plan's move cost and allowed changes must be zero or more.");
        }

        var requestAt = new Dictionary<int, Request>();
        foreach (var request in Requests)
        {
            requestAt[request.Delivery] = request;
            if (request.Pickup is { } p)
            {
                requestAt[p] = request;
            }
        }

        var seenStop = new HashSet<int>();
        var seenVehicle = new HashSet<int>();
        foreach (var route in previous.Routes)
        {
            if (route.Vehicle < 0 || route.Vehicle >= Vehicles.Count || !seenVehicle.Add(route.Vehicle))
            {
                problems.Add($"The previous plan names vehicle {route.Vehicle} twice or out of range.");
                continue;
            }

            if (route.Fixed < 0 || route.Fixed > route.Stops.Count)
            {
                problems.Add($"Vehicle {route.Vehicle}'s previous route fixes {route.Fixed} of its {route.Stops.Count} stops.");
            }

            var position = new Dictionary<int, int>();
            for (var k = 0; k < route.Stops.Count; k++)
            {
                var stop = route.Stops[k];
                if (stop < 0 || stop >= Stops.Count || !seenStop.Add(stop))
                {
                    problems.Add($"The previous plan visits stop {stop} twice or out of range.");
                    continue;
                }

                position[stop] = k;
            }

            foreach (var stop in position.Keys)
            {
                if (!requestAt.TryGetValue(stop, out var request))
                {
                    continue;
                }

                if ((request.Pickup is { } p && !position.ContainsKey(p)) || !position.ContainsKey(request.Delivery))
                {
                    problems.Add($"Vehicle {route.Vehicle}'s previous route has stop {stop} without the other stop of its request.");
                }
                else if (request.Pickup is { } pickup && position[pickup] > position[request.Delivery])
                {
                    problems.Add($"Vehicle {route.Vehicle}'s previous route delivers before it picks up (stop {request.Delivery}).");
                }
            }
        }
    }

    private void Claim(List<string> problems, int[] owner, int request, int stop, string role)
    {
        if (stop < 0 || stop >= Stops.Count)
        {
            problems.Add($"Request {request}'s {role} names stop {stop}, which does not exist.");
            return;
        }

        if (owner[stop] >= 0)
        {
            problems.Add($"Stop {stop} is claimed by requests {owner[stop]} and {request}; a stop serves one request.");
            return;
        }

        owner[stop] = request;
    }

    private static void CheckWindow(List<string> problems, string what, TimeWindow window)
    {
        if (double.IsNaN(window.Open) || double.IsNaN(window.Close))
        {
            problems.Add($"{what} has an undefined window.");
        }
        else if (window.Close < window.Open)
        {
            problems.Add($"{what} has a window that closes ({window.Close}) before it opens ({window.Open}).");
        }
    }
}
