using Logistics.Dispatch;
using Logistics.Dispatch.Model;

namespace Logistics.Perf.Routing;

/// <summary>The simulated day of <see cref="DayRunner"/>: what is known, done and carried, and each courier's remaining plan.</summary>
internal sealed class Day
{
    private readonly ProblemData _city;
    private readonly double[] _release;
    private readonly bool[] _pickedUp;
    private readonly bool[] _delivered;
    private readonly int[] _carrier;
    private readonly int[] _location;
    private readonly double[] _freeAt;
    private readonly bool[] _started;
    private readonly List<(int Stop, double Start)>[] _plan;

    public Day(ProblemData city, int seed)
    {
        _city = city;
        var requests = city.Requests.Count;
        // Known between 8:00 and 16:00, spread by a seeded hash (the same day for the same seed).
        _release = Enumerable.Range(0, requests).Select(r => (8 * 3600) + (((((long)r * 7919) + ((long)seed * 104_729)) % 480) * 60.0)).ToArray();
        _pickedUp = new bool[requests];
        _delivered = new bool[requests];
        _carrier = Enumerable.Repeat(-1, requests).ToArray();
        var vehicles = city.Vehicles.Count;
        _location = city.Vehicles.Select(v => v.StartLocation).ToArray();
        _freeAt = city.Vehicles.Select(v => v.Shift.Open).ToArray();
        _started = new bool[vehicles];
        _plan = Enumerable.Range(0, vehicles).Select(_ => new List<(int, double)>()).ToArray();
    }

    public int Delivered => _delivered.Count(d => d);

    public bool Finished(double now) => now > _release.Max() && _delivered.All(d => d);

    /// <summary>Every planned stop whose service began before now is done.</summary>
    public void Advance(double now)
    {
        for (var v = 0; v < _plan.Length; v++)
        {
            while (_plan[v].Count > 0 && _plan[v][0].Start < now)
            {
                var (stop, start) = _plan[v][0];
                _plan[v].RemoveAt(0);
                var r = _city.RequestOfStop[stop];
                if (_city.Requests[r].Pickup == stop)
                {
                    _pickedUp[r] = true;
                    _carrier[r] = v;
                }
                else
                {
                    _delivered[r] = true;
                }

                _location[v] = _city.Stops[stop].Location;
                _freeAt[v] = start + _city.Stops[stop].ServiceTime;
                _started[v] = true;
            }
        }
    }

    public DayState Problem(double now, double moveCost, int maxChanges)
    {
        var stops = new List<Stop>();
        var requests = new List<Request>();
        var cityRequest = new List<int>();
        var newStop = new Dictionary<int, int>();
        for (var r = 0; r < _city.Requests.Count; r++)
        {
            if (_release[r] > now || _delivered[r])
            {
                continue;
            }

            var request = _city.Requests[r];
            int? pickup = null;
            if (!_pickedUp[r])
            {
                newStop[request.Pickup!.Value] = stops.Count;
                pickup = stops.Count;
                stops.Add(Known(_city.Stops[request.Pickup.Value], _release[r]));
            }

            newStop[request.Delivery] = stops.Count;
            stops.Add(Known(_city.Stops[request.Delivery], _release[r] + 3600));
            requests.Add(new Request(pickup, stops.Count - 1, request.Demand, request.Name, _pickedUp[r] ? [_carrier[r]] : null));
            cityRequest.Add(r);
        }

        // A courier with a plan under way has left its last stop when it was done there and is heading to the next,
        // which is fixed; an idle one starts from where it is, now.
        var vehicles = _city.Vehicles.Select((v, i) =>
        {
            var busy = _started[i] && _plan[i].Count > 0;
            var open = Math.Min(busy ? _freeAt[i] : Math.Max(now, _freeAt[i]), v.Shift.Close);
            return v with { StartLocation = _location[i], Shift = new TimeWindow(open, v.Shift.Close) };
        }).ToList();
        var previous = new List<PreviousRoute>();
        for (var v = 0; v < _plan.Length; v++)
        {
            var remaining = _plan[v].Where(p => newStop.ContainsKey(p.Stop)).Select(p => newStop[p.Stop]).ToList();
            if (remaining.Count > 0)
            {
                previous.Add(new PreviousRoute(v, remaining, Fixed: _started[v] ? 1 : 0, Started: _started[v]));
            }
        }

        var plan = new PreviousPlan(previous) { MoveCost = moveCost, MaxStartedChanges = maxChanges };
        var problem = new ProblemData(_city.Travel, stops, requests, vehicles, _city.Objective, plan);
        // From scratch keeps only what is physically under way: the stop each busy courier is heading to.
        var heads = new PreviousPlan(previous.Where(p => p.Fixed > 0).Select(p => p with { Stops = p.Stops.Take(1).Concat(Partner(problem, p.Stops[0])).ToList() }).ToList());
        var scratch = new ProblemData(_city.Travel, stops, requests, vehicles, _city.Objective, heads);
        var stopOfCity = newStop.ToDictionary(p => p.Value, p => p.Key);
        return new DayState(problem, scratch, cityRequest, stopOfCity, requests.Count(q => q.Pickup is null));
    }

    // A parcel becomes known with windows that can still be met: a window closing within the hour after it is known
    // moves to two hours from then (the generated town's windows ignore when parcels arrive).
    private static Stop Known(Stop stop, double from) =>
        stop.Window.Close >= from + 3600 ? stop : stop with { Window = new TimeWindow(from, from + (2 * 3600)) };

    // The other stop of the head's request, after it (a pickup's delivery), so that the previous route is whole.
    private static IEnumerable<int> Partner(ProblemData problem, int stop)
    {
        var request = problem.Requests[problem.RequestOfStop[stop]];
        return request.Pickup == stop ? [request.Delivery] : [];
    }

    /// <summary>The couriers follow the new plan.</summary>
    public void Follow(DayState state, Solution solution)
    {
        foreach (var plan in _plan)
        {
            plan.Clear();
        }

        foreach (var route in solution.Routes)
        {
            for (var k = 0; k < route.Stops.Count; k++)
            {
                _plan[route.Vehicle].Add((state.CityStop[route.Stops[k]], route.ServiceStarts[k]));
            }
        }
    }
}

/// <summary>One re-plan's problem, with the way back to the town's requests and stops.</summary>
internal sealed record DayState(ProblemData Problem, ProblemData Scratch, IReadOnlyList<int> CityRequest, IReadOnlyDictionary<int, int> CityStop, int OnBoard)
{
    /// <summary>Requests of the previous plan now on another courier's round (or left out).</summary>
    public int Moved(Solution solution)
    {
        var before = new Dictionary<int, int>();
        foreach (var route in Problem.Previous?.Routes ?? [])
        {
            foreach (var s in route.Stops)
            {
                before[Problem.RequestOfStop[s]] = route.Vehicle;
            }
        }

        var after = new Dictionary<int, int>();
        foreach (var route in solution.Routes)
        {
            foreach (var s in route.Stops)
            {
                after[Problem.RequestOfStop[s]] = route.Vehicle;
            }
        }

        return before.Count(p => !after.TryGetValue(p.Key, out var v) || v != p.Value);
    }
}
