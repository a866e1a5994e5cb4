using Logistics.WebhookReceiver;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Logistics.Testing.Core;

/// <summary>
/// A shop's system hearing the network's webhooks: the example receiver (examples/Logistics.WebhookReceiver) on a
/// loopback port, keeping what verified with <see cref="Secret"/>, and down (503) for as many deliveries as a test says.
/// </summary>
public sealed class WebhookInbox : IAsyncDisposable
{
    private readonly List<ReceivedWebhook> _received = [];
    private WebApplication _app = null!;
    private int _failuresToAnswer;

    private WebhookInbox()
    {
    }

    /// <summary>The endpoint's signing secret, as the network answered when the endpoint was added (all zeros until then).</summary>
    public string Secret { get; set; } = "whsec_" + Convert.ToBase64String(new byte[32]);

    public string Url => $"{_app.Urls.First()}/hooks";

    /// <summary>The webhooks handled so far (each webhook-id once), in order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookInbox> StartAsync()
    {
        var inbox = new WebhookInbox();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        inbox._app = builder.Build();
        inbox._app.Use(async (context, next) =>
        {
            if (Interlocked.Decrement(ref inbox._failuresToAnswer) >= 0)
            {
                context.Response.StatusCode = 503;
                return;
            }

            await next(context);
        });
        inbox._app.MapLogisticsWebhooks("/hooks", () => inbox.Secret, received =>
        {
            lock (inbox._received)
            {
                inbox._received.Add(received);
            }

            return Task.CompletedTask;
        });
        await inbox._app.StartAsync();
        return inbox;
    }

    /// <summary>The shop's system is down for the next <paramref name="deliveries"/> deliveries: the network retries them.</summary>
    public void FailNext(int deliveries) => Interlocked.Exchange(ref _failuresToAnswer, deliveries);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
