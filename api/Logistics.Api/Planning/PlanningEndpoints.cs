using Logistics.Api.Infrastructure;
using Logistics.Application.Parcels;
using Logistics.Application.Planning;
using Logistics.Application.ReadSide;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Planning;

/// <summary>Operators plan rounds and watch them; couriers follow their own round stop by stop.</summary>
public static class PlanningEndpoints
{
    /// <summary>The parcels done (all when absent); at a home stop, the proof kept of the delivery.</summary>
    public sealed record CompleteStopInput(IReadOnlyList<string>? Parcels, ProofInput? Proof = null);

    /// <summary>The parcel whose home delivery failed, why, and the photo taken at the door.</summary>
    public sealed record FailStopInput(string? ParcelId, string? Reason, ProofInput? Proof = null);

    public static void MapPlanningEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/planning/run", async Task<Ok<PlanningResult>> (RoundPlanner planner, HttpContext http) => TypedResults.Ok(await planner.PlanAsync(http.Context(), http.RequestAborted)))
            .WithTags("Planning").Role(Roles.Operator)
            .WithName("planRounds").Refuses(409).WithSummary("Plan now (operator): every courier on shift gets a round; answers the rounds, parcels planned and parcels left out with why.");

        app.MapGet("/api/rounds", async Task<Ok<IReadOnlyList<OperatorRoundView>>> (RoundQueries rounds, HttpContext http, CancellationToken cancellationToken) => TypedResults.Ok(await rounds.CurrentRoundsAsync(http.User.NetworkId(), cancellationToken)))
            .WithTags("Planning").Role(Roles.Operator)
            .WithName("listRounds").WithSummary("Each courier's current round with its stops, the courier's name and the distance planned (operator).");

        var me = app.MapGroup("/api/couriers/me/round").WithTags("Planning").Role(Roles.Courier);

        me.MapGet("/", async Task<Ok<CourierRoundView>> (RoundQueries rounds, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(await rounds.CourierRoundAsync(new CourierId(http.User.Subject()), cancellationToken) ?? throw Refusal.NotFound("You have no round planned.")))
            .WithName("getCourierRound").Refuses(404).WithSummary("The courier's current round: stops in order, the next one, and per parcel what to do.");

        me.MapPost("/stops/{stopId}/complete", async Task<Ok<StopCompletedView>> (string stopId, CompleteStopInput? input, RoundStopActions actions, HttpContext http) =>
            TypedResults.Ok(await actions.CompleteAsync(
                new CourierId(http.User.Subject()), stopId, input?.Parcels, DeliveryProofs.Check(input?.Proof, failure: false), http.Context(), http.RequestAborted)))
            .WithName("completeStop").Refuses(404, 409, 422).WithSummary("Do the stop's parcel actions not yet done (all, or the parcels listed) and record the stop done; deposits answer their compartments.");

        me.MapPost("/stops/{stopId}/fail", async Task<Ok<StopFailedView>> (string stopId, FailStopInput input, RoundStopActions actions, HttpContext http) =>
            TypedResults.Ok(await actions.FailAsync(
                new CourierId(http.User.Subject()), stopId, input.ParcelId, input.Reason, DeliveryProofs.Check(input.Proof, failure: true), http.Context(), http.RequestAborted)))
            .WithName("failStop").Refuses(404, 409, 422).WithSummary("A home delivery failed: the parcel goes to the nearest locker with room, added to the rest of the round.");
    }
}
