using Logistics.Api.Auth;
using Logistics.Api.Infrastructure;
using Logistics.Application.Parcels;
using Logistics.Application.Projections;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;

namespace Logistics.Api.Parcels;

/// <summary>Shops register and follow their parcels; couriers move them; operators see everything.</summary>
public static class ParcelEndpoints
{
    public static void MapParcelEndpoints(this IEndpointRouteBuilder app)
    {
        var parcels = app.MapGroup("/api/parcels").WithTags("Parcels");

        parcels.MapPost("/", async (RegisterParcelRequest request, ParcelActions actions, HttpContext http) =>
        {
            var registered = await actions.RegisterAsync(new ShopId(http.User.Subject()), request, http.Context());
            return Results.Created($"/api/parcels/{registered.ParcelId}", registered);
        }).Role(Roles.Shop).WithSummary("Register a parcel (shop).");

        parcels.MapGet("/", async (string? status, ReadModels reads, HttpContext http, CancellationToken cancellationToken) =>
        {
            var (where, parameter) = Visible(http);
            var list = await reads.ParcelsAsync(where + " and ($2::text is null or p.status = $2)", cancellationToken, parameter, status);
            return Results.Ok(list);
        }).Role(Roles.Shop, Roles.Courier, Roles.Operator).WithSummary("The parcels the caller may see: a shop its own, a courier what it carries, an operator all.");

        parcels.MapGet("/{id}", async (string id, ReadModels reads, HttpContext http, CancellationToken cancellationToken) =>
        {
            var (where, parameter) = Visible(http);
            var parcel = await reads.ParcelAsync(where + " and p.parcel_id = $2", cancellationToken, parameter, id)
                ?? throw Refusal.NotFound($"You have no parcel {id}.");
            return Results.Ok(new { parcel, timeline = await reads.TimelineAsync(id, cancellationToken) });
        }).Role(Roles.Shop, Roles.Courier, Roles.Operator);

        parcels.MapPost("/{id}/cancel", async (string id, ReasonInput? input, ParcelActions actions, HttpContext http) =>
        {
            await actions.CancelAsync(new ParcelId(id), new ShopId(http.User.Subject()), input?.Reason, http.Context());
            return Results.NoContent();
        }).Role(Roles.Shop).WithSummary("Cancel a parcel before a courier picked it up (shop).");

        parcels.MapPost("/{id}/drop", async (string id, DropInput input, ParcelActions actions, HttpContext http) =>
        {
            new Validation().NotBlank(input.LockerId, "lockerId", "The locker").ThrowIfAny();
            return Results.Ok(await actions.DropAsync(new ParcelId(id), new ShopId(http.User.Subject()), new LockerId(input.LockerId!), http.Context()));
        }).Role(Roles.Shop).WithSummary("Drop a parcel in a locker for a courier to pick up (shop): answers the compartment.");

        parcels.MapPost("/{id}/pickup", async (string id, ParcelActions actions, HttpContext http) =>
        {
            await actions.PickUpAsync(new ParcelId(id), new CourierId(http.User.Subject()), http.Context());
            return Results.NoContent();
        }).Role(Roles.Courier).WithSummary("Pick up a parcel at its shop or drop-off locker (courier).");

        parcels.MapPost("/{id}/deposit", async (string id, DepositInput? input, ParcelActions actions, HttpContext http) =>
            Results.Ok(await actions.DepositAsync(
                new ParcelId(id), new CourierId(http.User.Subject()), string.IsNullOrWhiteSpace(input?.LockerId) ? null : new LockerId(input.LockerId), http.Context())))
            .Role(Roles.Courier).WithSummary("Deposit a parcel in a locker (courier): the core reserves a compartment and answers its number.");

        parcels.MapPost("/{id}/deposit-at-relay", async (string id, ParcelActions actions, HttpContext http) =>
        {
            await actions.DepositAtRelayAsync(new ParcelId(id), new CourierId(http.User.Subject()), http.Context());
            return Results.NoContent();
        }).Role(Roles.Courier);

        parcels.MapPost("/{id}/deliver", async (string id, ParcelActions actions, HttpContext http) =>
        {
            await actions.DeliverAsync(new ParcelId(id), new CourierId(http.User.Subject()), http.Context());
            return Results.NoContent();
        }).Role(Roles.Courier).WithSummary("Deliver a parcel at home (courier).");

        parcels.MapPost("/{id}/fail-delivery", async (string id, ReasonInput? input, ParcelActions actions, HttpContext http) =>
        {
            var locker = await actions.FailDeliveryAsync(new ParcelId(id), new CourierId(http.User.Subject()), input?.Reason, http.Context());
            return Results.Ok(new { redirectedTo = locker.Value });
        }).Role(Roles.Courier).WithSummary("Record a failed home delivery: the parcel is redirected to the nearest locker with room.");

        parcels.MapPost("/{id}/return", async (string id, ParcelActions actions, HttpContext http) =>
        {
            await actions.ReturnAsync(new ParcelId(id), new CourierId(http.User.Subject()), http.Context());
            return Results.NoContent();
        }).Role(Roles.Courier).WithSummary("Hand an expired parcel back to its shop (courier).");

        parcels.MapPost("/{id}/reissue-code", async (string id, ParcelActions actions, HttpContext http) =>
        {
            await actions.ReissueCodeAsync(new ParcelId(id), http.Context());
            return Results.NoContent();
        }).Role(Roles.Operator).WithSummary("Send a new pickup code (operator).");
    }

    /// <summary>What the caller may see: a shop its parcels, a courier what it carries, an operator everything.</summary>
    private static (string Where, object? Parameter) Visible(HttpContext http) => http.User.Role() switch
    {
        Roles.Shop => ("p.shop_id = $1", http.User.Subject()),
        Roles.Courier => ("p.courier_id = $1", http.User.Subject()),
        Roles.Operator => ("($1::text is null)", null),
        _ => throw Refusal.Forbidden("Only shops, couriers and operators list parcels."),
    };
}
