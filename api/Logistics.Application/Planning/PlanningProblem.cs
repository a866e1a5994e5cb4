using Logistics.Dispatch;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Travel;
using Logistics.Domain;
using Logistics.Domain.Rounds;
using DispatchWindow = Logistics.Dispatch.Model.TimeWindow;
using GeoPoint = Logistics.Domain.GeoPoint;

namespace Logistics.Application.Planning;

/// <summary>
/// Parcels and couriers as the solver's plain arrays: one request per parcel (no pickup when on board, then only its
/// courier may carry it), one vehicle per courier, with the rules couriers live with (their break, the longest shift,
/// the zones their vehicle may enter and when, the times promised for priority parcels) and, for a re-plan, each
/// courier's round as it stands (<see cref="PreviousPlan"/>: stable rounds). Time is in seconds from
/// <see cref="Now"/>, distance in metres; the objective prices metres, lateness and moves in metres.
/// </summary>
internal sealed partial class PlanningProblem
{
    private readonly List<GeoPoint> _points = [];
    private readonly Dictionary<string, int> _locations = new(StringComparer.Ordinal);

    public PlanningProblem(PlanningInput input, PlanningOptions options, DateTimeOffset now, TimeZoneInfo zone, ITravelMatrixProvider travel)
    {
        Now = now;
        var vehicles = new List<Vehicle>();
        var courierIndex = new Dictionary<CourierId, int>();
        foreach (var courier in input.Couriers)
        {
            var start = Location("start:" + courier.Id, courier.Start);
            var shiftLeft = Math.Max((courier.ShiftEnd - now).TotalSeconds, 600);
            courierIndex[courier.Id] = vehicles.Count;
            vehicles.Add(new Vehicle(start, start, new DispatchWindow(0, shiftLeft), courier.Capacity, (int)courier.Vehicle, Name: courier.Id.Value)
            {
                Break = Break(courier, options, now),
                MaxDuration = MaxDuration(courier, options, now),
            });
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
                stops.Add(new Stop(Location(PlanningInput.Key(from), from.Point()!.Value), DispatchWindow.Always, options.PickupTime.TotalSeconds)
                {
                    Access = Access(from, options, now, zone),
                });
            }

            var window = parcel.Window is { } w ? Relative(w) : DispatchWindow.Always;
            var service = parcel.DeliveryKind == TaskKind.Deliver ? options.HomeDeliveryTime : options.DepositTime;
            var delivery = stops.Count;
            stops.Add(new Stop(Location(PlanningInput.Key(parcel.DeliveryPlace), parcel.DeliveryPlace.Point()!.Value), window, service.TotalSeconds)
            {
                Access = Access(parcel.DeliveryPlace, options, now, zone),
                Due = parcel.PromisedBy is { } promised ? (promised - now).TotalSeconds : null,
                LatenessPrice = parcel.PromisedBy is null ? 0 : options.LatenessPerMinute / 60,
            });
            requests.Add(new Request(pickup, delivery, parcel.Details.Size.Units(), parcel.Id.Value, allowed));
            Parcels.Add(parcel);
        }

        var matrix = travel.Build([.. _points.Select(p => new Dispatch.Travel.GeoPoint(p.Latitude, p.Longitude))], Profiles(options));
        Problem = new ProblemData(matrix, stops, requests, vehicles, Objective.Priced, Previous(requests, options));
    }

    public DateTimeOffset Now { get; }

    public ProblemData Problem { get; }

    /// <summary>Request i is parcel i.</summary>
    public List<PlanParcel> Parcels { get; } = [];

    /// <summary>Vehicle i is courier i.</summary>
    public List<PlanCourier> Couriers { get; } = [];

    /// <summary>Parcels left out before solving, with why.</summary>
    public List<(ParcelId Parcel, string Reason)> Refused { get; } = [];

    /// <summary>
    /// The solver's travel profiles, one per kind of vehicle in the order of <see cref="Domain.Couriers.Vehicle"/>, named as
    /// the street graph's rules know them (a cargo bike honours one-way streets and may use pedestrian streets; a van may not).
    /// </summary>
    public static TravelProfile[] Profiles(PlanningOptions options) =>
    [
        .. Enum.GetValues<Domain.Couriers.Vehicle>().Select(v => new TravelProfile(
            v == Domain.Couriers.Vehicle.Van ? "van" : "cargo bike", (options.SpeedKmh.TryGetValue(v, out var kmh) ? kmh : 13) / 3.6)),
    ];

    public static string Reason(UnassignedRequest unassigned) => unassigned.Reason switch
    {
        UnassignedReason.OverEveryCapacity => "too-big — " + unassigned.Explanation,
        UnassignedReason.WindowUnreachable => "window-unreachable — " + unassigned.Explanation,
        UnassignedReason.NoAllowedVehicle => "no-allowed-courier — " + unassigned.Explanation,
        UnassignedReason.NoAccess => "no-access — " + unassigned.Explanation,
        UnassignedReason.OverShiftLength => "over-shift-length — " + unassigned.Explanation,
        _ => "no-room-left — deferred to a later plan: " + unassigned.Explanation,
    };

    // At work since the shift began (or since a break ended): the break is due that much sooner; past the limit, at once.
    private static BreakRule? Break(PlanCourier courier, PlanningOptions options, DateTimeOffset now) => options.BreakAfter is { } after
        ? new BreakRule(Math.Max(1, (after - (now - courier.AtWorkSince)).TotalSeconds), options.BreakLength.TotalSeconds)
        : null;

    private static double? MaxDuration(PlanCourier courier, PlanningOptions options, DateTimeOffset now) => options.MaxShiftLength is { } max
        ? Math.Max(0, (max - (courier.WorkedThisShift ? now - courier.ShiftStart : TimeSpan.Zero)).TotalSeconds)
        : null;

    // The vehicles every zone holding the place allows, each during the hours all those zones allow it (today).
    private static IReadOnlyList<ProfileAccess>? Access(StopPlace place, PlanningOptions options, DateTimeOffset now, TimeZoneInfo zone)
    {
        var zones = options.Zones.Where(z => z.Contains(place)).ToList();
        if (zones.Count == 0)
        {
            return null;
        }

        var access = new List<ProfileAccess>();
        foreach (var vehicle in Enum.GetValues<Domain.Couriers.Vehicle>())
        {
            var rules = zones.Select(z => z.Allowed.FirstOrDefault(a => a.Vehicle == vehicle)).ToList();
            if (rules.Any(r => r is null))
            {
                continue;
            }

            DispatchWindow? during = null;
            foreach (var hours in rules.Select(r => r!.Hours(now, zone)).OfType<(DateTimeOffset From, DateTimeOffset To)>())
            {
                var open = (hours.From - now).TotalSeconds;
                var close = Math.Max(open, (hours.To - now).TotalSeconds);
                during = during is { } d ? new DispatchWindow(Math.Max(d.Open, open), Math.Max(Math.Max(d.Open, open), Math.Min(d.Close, close))) : new DispatchWindow(open, close);
            }

            access.Add(new ProfileAccess((int)vehicle, during));
        }

        return access;
    }

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
