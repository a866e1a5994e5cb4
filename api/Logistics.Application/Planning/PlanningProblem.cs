using Logistics.Dispatch;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Travel;
using Logistics.Domain;
using DispatchWindow = Logistics.Dispatch.Model.TimeWindow;
using GeoPoint = Logistics.Domain.GeoPoint;

namespace Logistics.Application.Planning;

/// <summary>
/// Parcels and couriers as the solver's plain arrays: one request per parcel (no pickup when on board, then only its
/// courier may carry it), one vehicle per courier. Time is in seconds from <see cref="Now"/>, distance in metres.
/// </summary>
internal sealed class PlanningProblem
{
    private readonly List<GeoPoint> _points = [];
    private readonly Dictionary<string, int> _locations = new(StringComparer.Ordinal);

    public PlanningProblem(PlanningInput input, PlanningOptions options, DateTimeOffset now)
    {
        Now = now;
        var vehicles = new List<Vehicle>();
        var courierIndex = new Dictionary<CourierId, int>();
        var profiles = Enum.GetValues<Domain.Couriers.Vehicle>()
            .Select(v => new TravelProfile(v.ToString(), (options.SpeedKmh.TryGetValue(v, out var kmh) ? kmh : 13) / 3.6))
            .ToArray();
        foreach (var courier in input.Couriers)
        {
            var start = Location("start:" + courier.Id, courier.Start);
            var shiftLeft = Math.Max((courier.ShiftEnd - now).TotalSeconds, 600);
            courierIndex[courier.Id] = vehicles.Count;
            vehicles.Add(new Vehicle(start, start, new DispatchWindow(0, shiftLeft), courier.Capacity, (int)courier.Vehicle, Name: courier.Id.Value));
            Couriers.Add(courier);
        }

        var stops = new List<Stop>();
        var requests = new List<Request>();
        foreach (var parcel in input.Parcels)
        {
            int[]? allowed = null;
            if (parcel.OnBoardWith is { } carrier)
            {
                if (!courierIndex.TryGetValue(carrier, out var v))
                {
                    Refused.Add((parcel.Id, $"courier-off-shift — it is on board courier {carrier}, who is not on shift."));
                    continue;
                }

                allowed = [v];
            }

            if (vehicles.Count == 0)
            {
                Refused.Add((parcel.Id, "no-courier — no courier is on shift."));
                continue;
            }

            int? pickup = null;
            if (parcel.PickupPlace is { } from)
            {
                pickup = stops.Count;
                stops.Add(new Stop(Location(PlanningInput.Key(from), from.Point()!.Value), DispatchWindow.Always, options.PickupTime.TotalSeconds));
            }

            var window = parcel.Window is { } w ? Relative(w) : DispatchWindow.Always;
            var service = parcel.DeliveryKind == Domain.Rounds.TaskKind.Deliver ? options.HomeDeliveryTime : options.DepositTime;
            var delivery = stops.Count;
            stops.Add(new Stop(Location(PlanningInput.Key(parcel.DeliveryPlace), parcel.DeliveryPlace.Point()!.Value), window, service.TotalSeconds));
            requests.Add(new Request(pickup, delivery, parcel.Details.Size.Units(), parcel.Id.Value, allowed));
            Parcels.Add(parcel);
        }

        var travel = new HaversineTravelMatrixProvider(options.DetourFactor)
            .Build([.. _points.Select(p => new Dispatch.Travel.GeoPoint(p.Latitude, p.Longitude))], profiles);
        Problem = new ProblemData(travel, stops, requests, vehicles, Objective.Priced);
    }

    public DateTimeOffset Now { get; }

    public ProblemData Problem { get; }

    /// <summary>Request i is parcel i.</summary>
    public List<PlanParcel> Parcels { get; } = [];

    /// <summary>Vehicle i is courier i.</summary>
    public List<PlanCourier> Couriers { get; } = [];

    /// <summary>Parcels left out before solving, with why.</summary>
    public List<(ParcelId Parcel, string Reason)> Refused { get; } = [];

    public Solution Solve(PlanningOptions options) => Problem.Requests.Count == 0
        ? new Solution([], [], 0, 0, 0)
        : Solver.Solve(
            Problem,
            new Dispatch.Stopping.FirstOf(new Dispatch.Stopping.TimeLimit(TimeSpan.FromSeconds(options.SolverSeconds)), new Dispatch.Stopping.IterationLimit(options.SolverIterations)),
            options.Seed,
            new SolverParameters { Threads = 1, TimeProvider = TimeProvider.System });

    public static string Reason(UnassignedRequest unassigned) => unassigned.Reason switch
    {
        UnassignedReason.OverEveryCapacity => "too-big — " + unassigned.Explanation,
        UnassignedReason.WindowUnreachable => "window-unreachable — " + unassigned.Explanation,
        UnassignedReason.NoAllowedVehicle => "no-allowed-courier — " + unassigned.Explanation,
        _ => "no-room-left — " + unassigned.Explanation,
    };

    private int Location(string key, GeoPoint point)
    {
        if (!_locations.TryGetValue(key, out var index))
        {
            index = _points.Count;
            _points.Add(point);
            _locations[key] = index;
        }

        return index;
    }

    // A window partly gone starts now; one wholly gone stays in the past, and the solver says it cannot be reached.
    private DispatchWindow Relative(Domain.TimeWindow window)
    {
        var close = (window.To - Now).TotalSeconds;
        var open = Math.Min(Math.Max(0, (window.From - Now).TotalSeconds), close);
        return new DispatchWindow(open, close);
    }
}
