using System.Text;
using Logistics.Application.ReadSide;
using Logistics.EventStore.Postgres;

namespace Logistics.Api.Pages;

/// <summary>
/// Server-sent events telling open pages that read models moved on. The feed names only which read models changed
/// (parcels, lockers, directory, timeline): it carries no data, so every page re-fetches what its key may see.
/// </summary>
public static class LiveFeed
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    public static void MapLiveFeed(this WebApplication app) =>
        app.MapGet("/api/live", RunAsync)
            .AllowAnonymous()
            .WithTags("Pages")
            .WithSummary("Server-sent events: 'changed' with the read models that moved on; pages then re-fetch what they may see.");

    private static async Task RunAsync(HttpContext http, PostgresEventStore store, ReadModelProgress progress, IHostApplicationLifetime lifetime)
    {
        // The page going away or the server stopping ends the feed (the page reconnects by itself).
        using var feed = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = feed.Token;
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await WriteAsync(http, "retry: 3000\nevent: hello\ndata: {}\n\n", ct);

        IReadOnlyDictionary<string, string> known = new Dictionary<string, string>(StringComparer.Ordinal);
        var lastWrite = DateTime.UtcNow;
        try
        {
            known = await progress.CheckpointsAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                // Taken before reading, so an append between the read and the wait still wakes us.
                var next = store.NextAppend();
                var now = await progress.CheckpointsAsync(ct);
                var moved = now.Where(c => !known.TryGetValue(c.Key, out var before) || before != c.Value).Select(c => Kind(c.Key)).Distinct().ToArray();
                known = now;
                if (moved.Length > 0)
                {
                    await WriteAsync(http, $"event: changed\ndata: {{\"kinds\":[{string.Join(',', moved.Select(k => $"\"{k}\""))}]}}\n\n", ct);
                    lastWrite = DateTime.UtcNow;
                }
                else if (DateTime.UtcNow - lastWrite > KeepAlive)
                {
                    await WriteAsync(http, ": keep-alive\n\n", ct);
                    lastWrite = DateTime.UtcNow;
                }

                // Real time on purpose: this is polling, not business time. Projections lag an append slightly,
                // so after a wake-up the checkpoints are read again a moment later.
                if (await Task.WhenAny(next, Task.Delay(Poll, ct)) == next)
                {
                    await Task.Delay(Settle, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away, or the server is stopping.
        }
    }

    private static string Kind(string projection) => projection switch
    {
        "parcel-timeline" => "timeline",
        _ => projection,
    };

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken ct)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
