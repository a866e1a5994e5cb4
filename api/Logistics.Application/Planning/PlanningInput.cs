using Logistics.Application.ReadSide;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Couriers;
using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Planning;

/// <summary>A parcel to plan: where it is picked up (none when on board), where it goes, and what is done there.</summary>
internal sealed record PlanParcel(
    ParcelDetails Details,
    StopPlace? PickupPlace,
    int? PickupCompartment,
    CourierId? OnBoardWith,
    StopPlace DeliveryPlace,
    TaskKind DeliveryKind,
    Domain.TimeWindow? Window)
{
    public ParcelId Id => Details.Id;

    /// <summary>The time promised to the recipient (priority parcels; not for a parcel going back to its shop).</summary>
    public DateTimeOffset? PromisedBy => DeliveryKind == TaskKind.ReturnToShop ? null : Details.Destination.PromisedBy;
}

/// <summary>
/// A courier on shift: where the next round starts, until when, with what; since when at work without a break
/// (<see cref="AtWorkSince"/>: the shift's start, or the end of a break taken on the current round) and whether
/// the courier has done a stop in this shift.
/// </summary>
internal sealed record PlanCourier(CourierId Id, string Name, Vehicle Vehicle, int Capacity, GeoPoint Start, DateTimeOffset ShiftEnd, RoundId? CurrentRound, Round Round)
{
    public DateTimeOffset ShiftStart { get; init; }

    public DateTimeOffset AtWorkSince { get; init; }

    public bool WorkedThisShift { get; init; }
}

/// <summary>The read side planning starts from: the directory, the lockers, and its own rounds.</summary>
public sealed record PlanningReads(DirectoryQueries Directory, LockerQueries Lockers, PlanningQueries Planning);

/// <summary>What a planning run starts from, read from the streams (read models only list the candidates).</summary>
internal sealed record PlanningInput(IReadOnlyList<PlanParcel> Parcels, IReadOnlyList<PlanCourier> Couriers, IReadOnlyList<(ParcelId Parcel, string Reason)> Refused)
{
    public static async Task<PlanningInput> LoadAsync(
        EventStreams streams, PlanningReads reads, PlanningOptions options, CourierId? only, string network, CancellationToken cancellationToken)
    {
        // One network's shops, lockers, couriers and parcels: networks are planned apart.
        var shops = (await reads.Directory.ShopsAsync(network, cancellationToken)).ToDictionary(s => s.ShopId);
        var lockers = (await reads.Lockers.AllAsync(network, cancellationToken)).ToDictionary(l => l.LockerId);
        StopPlace? Shop(ShopId id) => shops.TryGetValue(id.Value, out var s) ? new StopPlace.Shop(id, s.Name, new GeoPoint(s.Latitude, s.Longitude)) : null;
        StopPlace? Locker(LockerId id) => lockers.TryGetValue(id.Value, out var l) ? new StopPlace.Locker(id, l.Name, new GeoPoint(l.Latitude, l.Longitude)) : null;

        var couriers = new List<PlanCourier>();
        var roundOf = await reads.Planning.CurrentRoundsAsync(network, cancellationToken);
        var firstShop = shops.Values.Where(s => s.Open).OrderBy(s => s.ShopId, StringComparer.Ordinal).FirstOrDefault();
        foreach (var id in (await reads.Directory.OnShiftAsync(network, cancellationToken)).Where(c => only is null || c == only))
        {
            if ((await streams.LoadAsync(Deciders.Courier, Deciders.Stream(id), cancellationToken)).State is not Courier.OnShift onShift)
            {
                continue;
            }

            var round = roundOf.TryGetValue(id, out var r) ? (await streams.LoadAsync(RoundStreams.Decider, r.Stream, cancellationToken)).State : Round.Initial;

            // A courier in the middle of a round goes on from the last place done.
            var lastDone = round is Round.Active a ? a.Track.Stops.LastOrDefault(s => s.Started)?.Stop.Place.Point() : null;
            var start = lastDone ?? onShift.StartLocation ?? (firstShop is null ? (GeoPoint?)null : new GeoPoint(firstShop.Latitude, firstShop.Longitude));
            if (start is { } from)
            {
                // A break planned on this round counts as taken once its stop is done and its time has come.
                var track = Round.TrackOf(round) is { } t && t.PlannedAt >= onShift.Since ? t : null;
                var now = streams.Clock.GetUtcNow();
                var rested = track?.Stops.Where(s => s.Started && s.Stop.Break is { } b && b.From <= now).Max(s => (DateTimeOffset?)s.Stop.Break!.Until);
                couriers.Add(new PlanCourier(id, onShift.Details.Name, onShift.Details.Vehicle, onShift.Details.CapacityUnits, from, onShift.Since + options.ShiftLength,
                    roundOf.TryGetValue(id, out var current) ? current : null, round)
                {
                    ShiftStart = onShift.Since,
                    AtWorkSince = rested is { } end && end > onShift.Since ? end : onShift.Since,
                    WorkedThisShift = track?.Stops.Any(s => s.Started) == true,
                });
            }
        }

        var candidates = only is { } courier
            ? await reads.Planning.CandidatesOfAsync(courier, cancellationToken)
            : await reads.Planning.CandidatesAsync(network, cancellationToken);

        var parcels = new List<PlanParcel>();
        var refused = new List<(ParcelId, string)>();
        foreach (var id in candidates)
        {
            var (state, _) = await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(id), cancellationToken);
            var (pickup, compartment, onBoard) = state switch
            {
                Parcel.Registered r => (Shop(r.Details.Shop), (int?)null, (CourierId?)null),
                Parcel.DroppedAtLocker d => (Locker(d.Locker), d.Compartment, null),
                Parcel.PickedUp p => (null, null, p.Courier),

                // Not collected in time: fetched from where it waits and taken back to its shop.
                Parcel.Expired { Point: CollectionPoint.InLocker l } => (Locker(l.Locker), l.Compartment, null),
                Parcel.Expired { Point: CollectionPoint.AtRelayShop r } => (Shop(r.Shop), null, null),
                _ => ((StopPlace?)null, (int?)null, (CourierId?)null),
            };
            if (state is not (Parcel.Registered or Parcel.DroppedAtLocker or Parcel.PickedUp or Parcel.Expired) || (only is { } c && onBoard is { } with && with != c))
            {
                continue;
            }

            var details = ((Parcel.Known)state).Details;
            if (only is { } mine && onBoard is null && state is not Parcel.PickedUp && !await reads.Planning.InRoundOfAsync(id, mine, cancellationToken))
            {
                continue;
            }

            var returning = state is Parcel.Expired or Parcel.PickedUp { Returning: true };
            var (place, kind, window) = returning ? (Shop(details.Shop), TaskKind.ReturnToShop, null) : details.Destination switch
            {
                Destination.ToLocker l => (Locker(l.Locker), TaskKind.Deposit, (Domain.TimeWindow?)null),
                // A home box is a one-compartment locker: a stop like a locker's, where the deposit opens its door.
                Destination.ToHomeBox b => (Locker(b.Box), TaskKind.Deposit, null),
                Destination.ToRelayShop s => (Shop(s.Shop), TaskKind.DepositAtRelay, null),
                Destination.ToHome h when details.Recipient.Address is not null => (new StopPlace.Home(details.Recipient), TaskKind.Deliver, h.Window),
                _ => ((StopPlace?)null, TaskKind.Deliver, (Domain.TimeWindow?)null),
            };
            if (place is null || (pickup is null && onBoard is null))
            {
                refused.Add((id, "unknown-place — its shop, locker or home address is not known to planning."));
                continue;
            }

            parcels.Add(new PlanParcel(details, pickup, compartment, onBoard, place, kind, window));
        }

        return new PlanningInput(parcels, couriers, refused);
    }

    /// <summary>What the plan depends on; the same fingerprint twice means nothing new to plan.</summary>
    public string Fingerprint(string travel)
    {
        var lines = Parcels.Select(p => $"p|{p.Id}|{p.PickupPlace}|{p.OnBoardWith}|{p.DeliveryPlace.GetType().Name}|{Key(p.DeliveryPlace)}|{p.Window?.From:O}|{p.Window?.To:O}|{p.PromisedBy:O}")
            .Append("t|" + travel)
            .Concat(Couriers.Select(c => $"c|{c.Id}|{c.Capacity}|{c.Vehicle}|{c.ShiftEnd:O}"))
            .Concat(Refused.Select(r => $"r|{r.Parcel}"))
            .Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }

    /// <summary>Stops at the same key are the same place: one visit.</summary>
    public static string Key(StopPlace place) => place switch
    {
        StopPlace.Shop s => "shop:" + s.Id,
        StopPlace.Locker l => "locker:" + l.Id,
        _ => FormattableString.Invariant($"home:{place.Point()?.Latitude:F6},{place.Point()?.Longitude:F6}"),
    };
}
