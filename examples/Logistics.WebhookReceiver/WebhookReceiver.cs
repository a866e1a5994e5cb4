using System.Collections.Concurrent;
using System.Text.Json;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Logistics.WebhookReceiver;

/// <summary>A webhook whose signature verified: its id (the same on every retry), type and data.</summary>
public sealed record ReceivedWebhook(string Id, string Type, DateTimeOffset Timestamp, JsonElement Data);

/// <summary>
/// Receives the network's webhooks as a shop's system would: checks the Standard Webhooks signature (HMAC-SHA256 of
/// <c>webhook-id</c>, <c>webhook-timestamp</c> and the raw body, with the endpoint's <c>whsec_…</c> secret; a
/// timestamp more than five minutes away is refused, so a captured message cannot be replayed later), answers 401
/// to anything that does not verify, and handles each <c>webhook-id</c> once (a retry or a "send again" repeats it)
/// before answering 2xx. Anything but a 2xx is retried by the network with a growing delay.
/// </summary>
public static class WebhookReceiverEndpoints
{
    public static RouteHandlerBuilder MapLogisticsWebhooks(this IEndpointRouteBuilder app, string path, Func<string> secret, Func<ReceivedWebhook, Task> handle)
    {
        // A real receiver keeps the ids it handled in its database, in the transaction that handles the event.
        var handled = new ConcurrentDictionary<string, bool>();
        return app.MapPost(path, async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            try
            {
                new StandardWebhook(secret()).Verify(body, request.Headers);
            }
            catch (Exception e) when (e is WebhookVerificationException or FormatException)
            {
                return Results.Problem(statusCode: 401, title: "Signature refused", detail: e.Message);
            }

            var id = request.Headers["webhook-id"].ToString();
            if (!handled.TryAdd(id, true))
            {
                return Results.Ok();
            }

            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                await handle(new ReceivedWebhook(id, root.GetProperty("type").GetString()!, root.GetProperty("timestamp").GetDateTimeOffset(), root.GetProperty("data").Clone()));
                return Results.Ok();
            }
            catch
            {
                // Not handled: the network sends it again later.
                handled.TryRemove(id, out _);
                throw;
            }
        });
    }
}
