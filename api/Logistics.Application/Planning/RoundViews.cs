using Logistics.Domain.Rounds;

namespace Logistics.Application.Planning;

// The JSON of rounds. These shapes are a contract with the courier and operator pages: keep the names.

public sealed record RoundPlaceView(string Kind, string? Id, string Name, string? Address, double? Latitude, double? Longitude);

public sealed record RoundWindowView(DateTimeOffset From, DateTimeOffset To);

public sealed record RoundParcelView(string ParcelId, string Action, string Size, int? Compartment, bool Done);

public sealed record RoundStopView(
    string StopId, int Sequence, string Kind, RoundPlaceView Place, RoundWindowView? Window, DateTimeOffset PlannedArrival, string Status, IReadOnlyList<RoundParcelView> Parcels);

/// <summary>A courier's own round.</summary>
public sealed record CourierRoundView(string RoundId, string CourierId, DateTimeOffset PlannedAt, string Status, string? NextStopId, IReadOnlyList<RoundStopView> Stops);

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

    public static string StopKind(IEnumerable<string> actions)
    {
        var list = actions.ToList();
        return list.All(a => a == "pickup") ? "pickup" : list.Any(a => a == "pickup") ? "mixed" : "delivery";
    }
}
