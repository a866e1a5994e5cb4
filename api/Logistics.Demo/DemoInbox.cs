using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Logistics.Application.Notifications;

namespace Logistics.Demo;

/// <summary>
/// The demo's recipients' phones and mailboxes: what would be sent by SMS or e-mail is kept here (the last 200
/// messages, in memory) and shown at <c>/demo/inbox</c>, never written to the log, which carries no code, phone,
/// e-mail or name.
/// </summary>
public sealed class DemoInbox
{
    private const int Kept = 200;
    private readonly ConcurrentQueue<(DateTimeOffset At, Message Message)> _messages = new();

    public INotificationSender Sms => new Channelled(this, Channel.Sms);

    public INotificationSender Email => new Channelled(this, Channel.Email);

    public IReadOnlyList<Message> Messages => [.. _messages.Select(m => m.Message)];

    /// <summary>Maps <c>GET /demo/inbox</c>: the messages, newest first, as a page.</summary>
    public void MapPage(WebApplication app) =>
        app.MapGet("/demo/inbox", () =>
        {
            var html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Demo inbox</title>")
                .Append("<link rel=\"stylesheet\" href=\"/css/app.css\"></head><body><main><h1>Demo inbox</h1>")
                .Append("<p>What the demo's recipients received by SMS and e-mail (the tracking links carry the codes).</p><ol reversed>");
            foreach (var (at, m) in _messages.Reverse())
            {
                html.Append("<li><p><strong>").Append(WebUtility.HtmlEncode(m.Channel.ToString())).Append(" to ").Append(WebUtility.HtmlEncode(m.To))
                    .Append("</strong>, ").Append(WebUtility.HtmlEncode(at.ToString("u", System.Globalization.CultureInfo.InvariantCulture)))
                    .Append(" — ").Append(WebUtility.HtmlEncode(m.Subject)).Append("</p><pre>").Append(WebUtility.HtmlEncode(m.Text)).Append("</pre></li>");
            }

            return Results.Content(html.Append("</ol></main></body></html>").ToString(), "text/html; charset=utf-8");
        }).ExcludeFromDescription().AllowAnonymous();

    private void Add(Message message)
    {
        _messages.Enqueue((DateTimeOffset.UtcNow, message));
        while (_messages.Count > Kept && _messages.TryDequeue(out _))
        {
        }
    }

    private sealed class Channelled(DemoInbox inbox, Channel channel) : INotificationSender
    {
        public Channel Channel => channel;

        public Task SendAsync(Message message, CancellationToken cancellationToken)
        {
            inbox.Add(message);
            return Task.CompletedTask;
        }
    }
}
