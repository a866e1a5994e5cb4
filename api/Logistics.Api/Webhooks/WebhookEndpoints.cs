using System.Security.Claims;
using Logistics.Api.Auth;
using Logistics.Api.Infrastructure;
using Logistics.Application.Streams;
using Logistics.Application.Webhooks;
using Logistics.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Webhooks;

/// <summary>
/// A shop's webhook endpoints and their delivery log: the shop and its web store act on the shop's own, an operator
/// on every shop's (an endpoint is added by the shop or its store, which receive its secret).
/// </summary>
public static class WebhookEndpoints
{
    public static void MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/api/webhooks").WithTags("Webhooks");

        hooks.MapPost("/", async Task<Created<NewWebhookEndpoint>> (WebhookEndpointInput input, WebhookSubscriptions subscriptions, HttpContext http) =>
        {
            var added = await subscriptions.AddAsync(new ShopId(http.User.Subject()), input, http.RequestAborted);
            return TypedResults.Created($"/api/webhooks/{added.Id}", added);
        })
            .Role(Roles.Shop, Roles.WebStore)
            .WithName("addWebhookEndpoint").WithSummary("Add a webhook endpoint for the shop's parcel events (shop, web store): answers its signing secret (whsec_…, Standard Webhooks), shown this once.");

        hooks.MapGet("/", async Task<Ok<IReadOnlyList<WebhookEndpointView>>> (WebhookSubscriptions subscriptions, HttpContext http) =>
            TypedResults.Ok(await subscriptions.ListAsync(ShopOf(http.User), http.User.NetworkId(), http.RequestAborted)))
            .Role(Roles.Shop, Roles.WebStore, Roles.Operator)
            .WithName("listWebhookEndpoints").WithSummary("The webhook endpoints: a shop's own, every shop's for an operator.");

        hooks.MapPost("/{id}/disable", async Task<NoContent> (string id, WebhookSubscriptions subscriptions, HttpContext http) =>
        {
            await subscriptions.DisableAsync(ShopOf(http.User), id, http.User.NetworkId(), http.RequestAborted);
            return TypedResults.NoContent();
        })
            .Role(Roles.Shop, Roles.WebStore, Roles.Operator)
            .WithName("disableWebhookEndpoint").WithSummary("Stop sending to a webhook endpoint; what was still due to it is not sent.");

        hooks.MapGet("/deliveries", async Task<Ok<IReadOnlyList<WebhookDeliveryView>>> (string? state, int? limit, string? parcelId, WebhookSubscriptions subscriptions, HttpContext http) =>
            TypedResults.Ok(await subscriptions.DeliveriesAsync(ShopOf(http.User), state, limit ?? 50, parcelId, http.User.NetworkId(), http.RequestAborted)))
            .Role(Roles.Shop, Roles.WebStore, Roles.Operator)
            .WithName("listWebhookDeliveries").WithSummary("The delivery log, newest first, with each attempt's answer: state=pending|delivered|failed, limit (1–200, 50 by default), parcelId.");

        hooks.MapPost("/deliveries/{id}/resend", async Task<Accepted> (string id, WebhookSubscriptions subscriptions, HttpContext http) =>
        {
            await subscriptions.ResendAsync(ShopOf(http.User), id, http.User.NetworkId(), http.RequestAborted);
            return TypedResults.Accepted((string?)null);
        })
            .Role(Roles.Shop, Roles.WebStore, Roles.Operator)
            .WithName("resendWebhookDelivery").WithSummary("Send a delivery again now (delivered or failed), with the same webhook-id and its retries started over.");
    }

    // An operator acts on every shop's webhooks of its network; a shop and its web store on the shop's.
    private static ShopId? ShopOf(ClaimsPrincipal user) => user.Role() == Roles.Operator ? null : new ShopId(user.Subject());
}
