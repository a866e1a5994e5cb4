using Logistics.Api.Infrastructure;
using Logistics.Application.Parcels;
using Logistics.Application.ReadSide;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Parcels;

/// <summary>Shops register and follow their parcels; couriers move them; operators see everything.</summary>
public static class ParcelEndpoints
{
    /// <summary>A parcel and its history.</summary>
    public sealed record ParcelDetail(ParcelView Parcel, IReadOnlyList<TimelineEntry> Timeline);

    /// <summary>A home delivery, with the proof the courier kept (a photo, or the name and signature of who took it).</summary>
    public sealed record DeliverInput(ProofInput? Proof);

    /// <summary>A failed home delivery: why, and the photo taken at the door.</summary>
    public sealed record FailDeliveryInput(string? Reason, ProofInput? Proof);

    /// <summary>Where a parcel whose home delivery failed waits for its recipient now.</summary>
    public sealed record Redirected(string RedirectedTo);

    public static void MapParcelEndpoints(this IEndpointRouteBuilder app)
    {
        var parcels = app.MapGroup("/api/parcels").WithTags("Parcels");

        parcels.MapPost("/", async Task<Created<RegisteredParcel>> (RegisterParcelRequest request, ParcelActions actions, HttpContext http) =>
        {
            var registered = await actions.RegisterAsync(new ShopId(http.User.Subject()), request, http.Context());
            return TypedResults.Created($"/api/parcels/{registered.ParcelId}", registered);
        }).Role(Roles.Shop).WithName("registerParcel").Refuses(409, 422).WithSummary("Register a parcel (shop).");

        parcels.MapGet("/", async Task<Ok<IReadOnlyList<ParcelView>>> (string? status, ParcelQueries queries, HttpContext http, CancellationToken cancellationToken) =>
        {
            var known = status is null || Enum.GetNames<Domain.Parcels.ParcelStatus>().Contains(status, StringComparer.Ordinal);
            new Validation().Require(known, "status", InputLimits.OutOfRangeCode, "A parcel status, such as AwaitingCollection.").ThrowIfAny();
            return TypedResults.Ok(await queries.VisibleToAsync(http.User.Caller(), status, cancellationToken));
        })
            .Role(Roles.Shop, Roles.Courier, Roles.Operator).WithName("listParcels").Refuses(422).WithSummary("The parcels the caller may see: a shop its own, a courier what it carries, an operator all.");

        parcels.MapGet("/{id}", async Task<Ok<ParcelDetail>> (string id, ParcelQueries queries, HttpContext http, CancellationToken cancellationToken) =>
        {
            var parcel = await queries.VisibleToAsync(http.User.Caller(), new ParcelId(id), cancellationToken)
                ?? throw Refusal.NotFound($"You have no parcel {id}.");
            return TypedResults.Ok(new ParcelDetail(parcel, await queries.TimelineAsync(new ParcelId(id), cancellationToken)));
        }).Role(Roles.Shop, Roles.Courier, Roles.Operator).WithName("getParcel").Refuses(404).WithSummary("One parcel the caller may see, with its history.");

        parcels.MapPost("/{id}/cancel", async Task<NoContent> (string id, ReasonInput? input, ParcelActions actions, HttpContext http) =>
        {
            await actions.CancelAsync(new ParcelId(id), new ShopId(http.User.Subject()), input?.Reason, http.Context());
            return TypedResults.NoContent();
        }).Role(Roles.Shop).WithName("cancelParcel").Refuses(404, 409, 422).WithSummary("Cancel a parcel before a courier picked it up (shop).");

        parcels.MapPost("/{id}/drop", async Task<Ok<CompartmentAnswer>> (string id, DropInput input, ParcelActions actions, HttpContext http) =>
        {
            new Validation().NotBlank(input.LockerId, "lockerId", "The locker").Id(input.LockerId, "lockerId").ThrowIfAny();
            return TypedResults.Ok(await actions.DropAsync(new ParcelId(id), new ShopId(http.User.Subject()), new LockerId(input.LockerId!), http.Context()));
        }).Role(Roles.Shop).WithName("dropParcel").Refuses(404, 409, 422).WithSummary("Drop a parcel in a locker for a courier to pick up (shop): answers the compartment.");

        parcels.MapPost("/{id}/pickup", async Task<NoContent> (string id, ParcelActions actions, HttpContext http) =>
        {
            await actions.PickUpAsync(new ParcelId(id), new CourierId(http.User.Subject()), http.Context());
            return TypedResults.NoContent();
        }).Role(Roles.Courier).WithName("pickUpParcel").Refuses(404, 409).WithSummary("Pick up a parcel at its shop or drop-off locker (courier).");

        // A courier at a counter with a parcel the round does not plan: the label's number (scanned or typed) is all they have.
        parcels.MapPost("/tracking/{trackingId}/pickup", async Task<NoContent> (string trackingId, ParcelQueries queries, ParcelActions actions, HttpContext http) =>
        {
            var parcel = await queries.IdByTrackingAsync(trackingId, http.RequestAborted) ?? throw Refusal.NotFound($"No parcel has the number {trackingId}.");
            await actions.PickUpAsync(parcel, new CourierId(http.User.Subject()), http.Context());
            return TypedResults.NoContent();
        }).Role(Roles.Courier).WithName("pickUpParcelByTracking").Refuses(404, 409).WithSummary("Pick up a parcel by the tracking number on its label (courier).");

        parcels.MapPost("/{id}/assign", async Task<NoContent> (string id, AssignInput input, ParcelActions actions, HttpContext http) =>
        {
            new Validation().NotBlank(input.CourierId, "courierId", "The courier").Id(input.CourierId, "courierId").ThrowIfAny();
            await actions.AssignAsync(new ParcelId(id), new CourierId(input.CourierId!), http.Context());
            return TypedResults.NoContent();
        }).Role(Roles.Operator).WithName("assignParcel").Refuses(404, 409, 422).WithSummary("Assign a parcel waiting in a locker (dropped, or not collected in time) to the courier who takes it out (operator).");

        parcels.MapPost("/{id}/deposit", async Task<Ok<CompartmentAnswer>> (string id, DepositInput? input, ParcelActions actions, HttpContext http) =>
        {
            new Validation().Id(input?.LockerId, "lockerId").ThrowIfAny();
            return TypedResults.Ok(await actions.DepositAsync(
                new ParcelId(id), new CourierId(http.User.Subject()), string.IsNullOrWhiteSpace(input?.LockerId) ? null : new LockerId(input.LockerId.Trim()), http.Context()));
        })
            .Role(Roles.Courier).WithName("depositParcel").Refuses(404, 409, 422).WithSummary("Deposit a parcel in a locker (courier): the core reserves a compartment and answers its number.");

        parcels.MapPost("/{id}/deposit-at-relay", async Task<NoContent> (string id, ParcelActions actions, HttpContext http) =>
        {
            await actions.DepositAtRelayAsync(new ParcelId(id), new CourierId(http.User.Subject()), http.Context());
            return TypedResults.NoContent();
        }).Role(Roles.Courier).WithName("depositParcelAtRelay").Refuses(404, 409).WithSummary("Hand a parcel to the relay shop it is bound for (courier).");

        parcels.MapPost("/{id}/deliver", async Task<NoContent> (string id, DeliverInput? input, ParcelActions actions, HttpContext http) =>
        {
            var proof = DeliveryProofs.Check(input?.Proof, failure: false);
            await actions.DeliverAsync(new ParcelId(id), new CourierId(http.User.Subject()), http.Context(), proof);
            return TypedResults.NoContent();
        }).Role(Roles.Courier).WithName("deliverParcel").Refuses(404, 409, 422)
            .WithSummary("Deliver a parcel at home (courier), with its proof: a photo, or the name and signature of who took it, kept sealed for the recipient.");

        parcels.MapPost("/{id}/fail-delivery", async Task<Ok<Redirected>> (string id, FailDeliveryInput? input, ParcelActions actions, HttpContext http) =>
        {
            var proof = DeliveryProofs.Check(input?.Proof, failure: true);
            var (locker, _) = await actions.FailDeliveryAsync(new ParcelId(id), new CourierId(http.User.Subject()), input?.Reason, http.Context(), proof);
            return TypedResults.Ok(new Redirected(locker.Value));
        }).Role(Roles.Courier).WithName("failDelivery").Refuses(404, 409, 422)
            .WithSummary("Record a failed home delivery, with a photo of the door: the parcel is redirected to the nearest locker with room.");

        parcels.MapPost("/{id}/return", async Task<NoContent> (string id, ParcelActions actions, HttpContext http) =>
        {
            await actions.ReturnAsync(new ParcelId(id), new CourierId(http.User.Subject()), http.Context());
            return TypedResults.NoContent();
        }).Role(Roles.Courier).WithName("returnParcel").Refuses(404, 409).WithSummary("Hand an expired parcel back to its shop (courier).");

        parcels.MapPost("/{id}/reissue-code", async Task<NoContent> (string id, ParcelActions actions, HttpContext http) =>
        {
            await actions.ReissueCodeAsync(new ParcelId(id), http.Context());
            return TypedResults.NoContent();
        }).Role(Roles.Operator).WithName("reissuePickupCode").Refuses(404, 409, 410).WithSummary("Send a new pickup code (operator).");
    }
}
