using Logistics.Api.Auth;
using Logistics.Api.Infrastructure;
using Logistics.Application.Access;
using Logistics.Application.Parcels;
using Logistics.Application.Streams;
using Logistics.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Parcels;

/// <summary>
/// A shop's web store sends its orders in with its own key (role <c>webstore</c>, issued by the shop): each order
/// becomes one of the shop's parcels, and its status changes go back to the store through the shop's webhooks.
/// </summary>
public static class OrderEndpoints
{
    public sealed record WebStoreKey(string ShopId, string ApiKey);

    public static void MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders").WithTags("Orders").Role(Roles.WebStore);

        orders.MapPost("/", async Task<Results<Created<OrderAnswer>, Ok<OrderAnswer>>> (OrderInput input, OrderIntake intake, HttpContext http) =>
        {
            var answer = await intake.ReceiveAsync(new ShopId(http.User.Subject()), input, http.User.Actor(), http.RequestAborted);
            return answer.Repeated
                ? TypedResults.Ok(answer)
                : TypedResults.Created($"/api/orders/{Uri.EscapeDataString(answer.OrderId)}", answer);
        }).WithName("sendOrder").WithSummary(
            "Send a web-store order in (web store): its orderId becomes one parcel of the shop, with the customer's choice of a locker, a relay shop or a home window. " +
            "Sending the same orderId again answers 200 with the same parcel; with another size or destination, 409 order.changed.");

        orders.MapGet("/{orderId}", async Task<Ok<OrderAnswer>> (string orderId, OrderIntake intake, HttpContext http) =>
            TypedResults.Ok(await intake.FindAsync(new ShopId(http.User.Subject()), orderId, http.User.Actor(), http.RequestAborted)))
            .WithName("getOrder").WithSummary("The parcel an order became and its status (web store).");

        app.MapPost("/api/shops/me/webstore-key", async Task<Ok<WebStoreKey>> (ApiKeys keys, HttpContext http) =>
        {
            var shop = http.User.Subject();
            return TypedResults.Ok(new WebStoreKey(shop, await keys.IssueAsync(new Credential(Roles.WebStore, shop, $"web store of {shop}", http.User.NetworkId()), http.RequestAborted)));
        })
            .WithTags("Orders").Role(Roles.Shop)
            .WithName("issueWebStoreKey").WithSummary("Issue a key for the shop's web store (shown once): it may send orders and manage the shop's webhooks, nothing else.");
    }
}
