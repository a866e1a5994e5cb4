using Logistics.Api.Infrastructure;
using Logistics.Application.Lockers;
using Logistics.Application.Streams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Operators;

/// <summary>What keeps the network consistent, for the operator: the compartments' check, and its repair on demand.</summary>
public static class OperationsEndpoints
{
    public static void MapOperationsEndpoints(this IEndpointRouteBuilder app)
    {
        var operations = app.MapGroup("/api/operations").WithTags("Operator").Role(Roles.Operator);

        operations.MapGet("/compartments", async Task<Ok<CompartmentCheck>> (CompartmentReconciler reconciler, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(await reconciler.CheckAsync(repair: false, http.User.NetworkId(), cancellationToken)))
            .WithName("checkCompartments").WithSummary("Check every compartment against the parcels that hold it: what does not match and what the repair would do (nothing is changed).");

        operations.MapPost("/compartments/repair", async Task<Ok<CompartmentCheck>> (CompartmentReconciler reconciler, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(await reconciler.CheckAsync(repair: true, http.User.NetworkId(), cancellationToken)))
            .WithName("repairCompartments").WithSummary("Repair now what the check finds (it also runs every 5 minutes): each repair is an event with its reason.");

        operations.MapGet("/security-events", async Task<Ok<IReadOnlyList<SecurityEvent>>> (SecurityEvents security, HttpContext http, CancellationToken cancellationToken, int? limit) =>
            TypedResults.Ok(await security.RecentAsync(limit ?? 100, http.User.NetworkId(), cancellationToken)))
            .WithName("listSecurityEvents").WithSummary("What boards said beyond their word, newest first: another locker's compartment, parcel or command, unreadable frames, clocks out of step (the events are kept, not applied or with the core's time).");
    }
}
