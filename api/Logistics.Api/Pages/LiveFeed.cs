using System.Text;
using Logistics.Api.Infrastructure;
using Logistics.Application.Refusals;

namespace Logistics.Api.Pages;

/// <summary>
/// Server-sent events telling open pages that read models moved on. The feed names only which read models changed
/// (parcels, lockers, directory, timeline): it carries no data, so every page re-fetches what its key may see; it is
/// open to anonymous pages (the tracking page) and limited in connections (<see cref="LiveChanges"/>).
/// </summary>
public static class LiveFeed
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    public static void MapLiveFeed(this WebApplication app) =>
        app.MapGet("/api/live", RunAsync)
            .AllowAnonymous()
            .WithTags("Pages")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .WithName("openLiveFeed").Refuses(429).WithSummary("Server-sent events: 'changed' with the read models that moved on; pages then re-fetch what they may see. 429 when this node or the client's address has too many feeds open.");

    private static async Task RunAsync(HttpContext http, LiveChanges changes, IHostApplicationLifetime lifetime)
    {
        using var listener = changes.Listen(http.Connection.RemoteIpAddress?.ToString())
            ?? throw new Refusal("live-feed.full", RefusalKind.TooManyRequests, "Too many live feeds", "Too many live pages are open from here; this page refreshes by itself without one.")
            {
                RetryAfter = TimeSpan.FromSeconds(30),
            };

        // The page going away or the server stopping ends the feed (the page reconnects by itself).
        using var feed = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = feed.Token;
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await WriteAsync(http, "retry: 3000\nevent: hello\ndata: {}\n\n", ct);
            while (!ct.IsCancellationRequested)
            {
                if (await listener.NextAsync(KeepAlive, ct) is { Length: > 0 } moved)
                {
                    await WriteAsync(http, $"event: changed\ndata: {{\"kinds\":[{string.Join(',', moved.Select(k => $"\"{k}\""))}]}}\n\n", ct);
                }
                else
                {
                    await WriteAsync(http, ": keep-alive\n\n", ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away, or the server is stopping.
        }
    }

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken ct)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
