using System.Text.Json;
using Logistics.Domain.Rounds;

namespace Logistics.Application.Planning;

// The JSON of rounds. These shapes are a contract with the courier and operator pages: keep the names.

public sealed record RoundPlaceView(string Kind, string? Id, string Name, string? Address, double? Latitude, double? Longitude);

public sealed record RoundWindowView(DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// A parcel at a stop, as the courier reads it: its tracking number (what the label shows and the scanner reads),
/// the shop that sent it and the recipient's first name alone (null once erased); <c>parcelId</c> is for the API's
/// paths, never shown.
/// </summary>
public sealed record RoundParcelView(
    string ParcelId, string Action, string Size, int? Compartment, bool Done, string? TrackingId = null, string? ShopName = null, string? RecipientFirstName = null);

/// <summary>
/// A stop of a round. <c>promisedBy</c>: the earliest time promised among its deliveries (priority parcels), with
/// <c>lateMinutes</c> when the plan expects it late; <c>break</c>: the courier's break, after the stop (or before it).
/// </summary>
public sealed record RoundStopView(
    string StopId, int Sequence, string Kind, RoundPlaceView Place, RoundWindowView? Window, DateTimeOffset PlannedArrival, string Status, IReadOnlyList<RoundParcelView> Parcels,
    DateTimeOffset? PromisedBy = null, int? LateMinutes = null, RoundBreakView? Break = null);

/// <summary>The courier's break: from when, how many minutes, and whether it comes before its stop rather than after.</summary>
public sealed record RoundBreakView(DateTimeOffset From, int Minutes, bool BeforeStop);

/// <summary>
/// One parcel the last re-plan gave to the courier or took away. <c>change</c>: added | removed; <c>reason</c>:
/// new | passes-first | shift-ended | deferred | no-longer-to-do; <c>courierName</c>: from or to whom.
/// </summary>
public sealed record RoundChangeView(string ParcelId, string Change, string Reason, string? CourierId, string? CourierName);

/// <summary>What the last re-plan changed and why, with an English sentence for clients that do not word it themselves.</summary>
public sealed record RoundChangesView(DateTimeOffset At, string Summary, IReadOnlyList<RoundChangeView> Parcels);

/// <summary>A courier's own round; <c>changes</c>: what its last re-plan changed (null before any).</summary>
public sealed record CourierRoundView(
    string RoundId, string CourierId, DateTimeOffset PlannedAt, string Status, string? NextStopId, IReadOnlyList<RoundStopView> Stops, RoundChangesView? Changes = null);

/// <summary>A round on the operator's map: the same stops, with the courier's name and the distance planned.</summary>
public sealed record OperatorRoundView(
    string RoundId, string CourierId, string CourierName, DateTimeOffset PlannedAt, string Status, string? NextStopId, double DistanceKm, IReadOnlyList<RoundStopView> Stops);

/// <summary>What completing a stop did: per parcel, the action and the compartment whose door opens (deposits).</summary>
public sealed record StopResultView(string ParcelId, string Action, int? Compartment);

public sealed record StopCompletedView(string StopId, IReadOnlyList<StopResultView> Results, string? NextStopId);

public sealed record StopFailedView(string StopId, string ParcelId, string RedirectedTo, string? NextStopId);

public static class RoundJson
{
    public static string Action(TaskKind kind) => kind switch
    {
        TaskKind.PickUp => "pickup",
        TaskKind.Deposit => "deposit",
        TaskKind.DepositAtRelay => "depositAtRelay",
        TaskKind.ReturnToShop => "return",
        _ => "deliver",
    };

    public static string Reason(RoundChangeReason reason) => reason switch
    {
        RoundChangeReason.NewParcel => "new",
        RoundChangeReason.PassesFirst => "passes-first",
        RoundChangeReason.ShiftEnded => "shift-ended",
        RoundChangeReason.Deferred => "deferred",
        _ => "no-longer-to-do",
    };

    /// <summary>A re-plan's changes as the rounds' read model keeps them (JSON of <see cref="RoundChangeView"/>).</summary>
    public static string Changes(IEnumerable<RoundChange> changes) => JsonSerializer.Serialize(
        changes.Select(c => new RoundChangeView(c.Parcel.Value, c.Kind == RoundChangeKind.Added ? "added" : "removed", Reason(c.Reason), c.Courier?.Value, c.CourierName)).ToList(),
        Web);

    public static IReadOnlyList<RoundChangeView> ParseChanges(string json) => JsonSerializer.Deserialize<List<RoundChangeView>>(json, Web) ?? [];

    /// <summary>"2 parcels added, 1 moved to Yanis: he passes there first" — the English the pages also word in French.</summary>
    public static string Summary(IReadOnlyList<RoundChangeView> changes)
    {
        if (changes.Count == 0)
        {
            return "Re-planned: the same parcels in another order.";
        }

        static string Parcels(int n) => n == 1 ? "1 parcel" : $"{n} parcels";
        var parts = changes.GroupBy(c => (c.Change, c.Reason, c.CourierName)).Select(g => (g.Key.Change, g.Key.Reason, g.Key.CourierName) switch
        {
            ("added", "new", _) => $"{Parcels(g.Count())} added",
            ("added", "passes-first", var who) => $"{Parcels(g.Count())} taken over from {who}: you pass there first",
            ("added", "shift-ended", var who) => $"{Parcels(g.Count())} taken over from {who}, whose shift ended",
            ("added", _, _) => $"{Parcels(g.Count())} added",
            ("removed", "passes-first", var who) => $"{Parcels(g.Count())} moved to {who}: they pass there first",
            ("removed", "deferred", _) => $"{Parcels(g.Count())} deferred to a later plan",
            _ => $"{Parcels(g.Count())} taken off: nothing left to do",
        });
        return string.Join(", ", parts) + ".";
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static string StopKind(IEnumerable<string> actions)
    {
        var list = actions.ToList();
        return list.All(a => a == "pickup") ? "pickup" : list.Any(a => a == "pickup") ? "mixed" : "delivery";
    }
}
