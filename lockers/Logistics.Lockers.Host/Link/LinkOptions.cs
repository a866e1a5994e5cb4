using Logistics.LockerLink;

namespace Logistics.Lockers.Host.Link;

public sealed record LinkOptions
{
    /// <summary>The core's base address (http/https); the link goes to ws/wss on <see cref="LinkProtocol.Path"/>.</summary>
    public required Uri CoreUrl { get; init; }

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public int SendWindow { get; init; } = LinkProtocol.SendWindow;

    /// <summary>
    /// The HTTP stack the WebSocket connects through, or null for the default one. The perf runner's simulated boards
    /// each connect from their own loopback address through it, as real boards each come from their own.
    /// </summary>
    public HttpMessageInvoker? Connector { get; init; }

    /// <summary>
    /// Why the link may not go to <see cref="CoreUrl"/>, or null when it may: events inside a session are not signed one
    /// by one, so anything but the board's own machine is reached over TLS (https/wss) only.
    /// </summary>
    public string? Refusal => Endpoint switch
    {
        { Scheme: "wss" } => null,
        { Scheme: "ws", IsLoopback: true } => null,
        var other => $"the core at {other.Host} must be reached over TLS (https or wss): plain ws is allowed to this machine only",
    };

    /// <summary>The WebSocket endpoint for <see cref="CoreUrl"/>.</summary>
    public Uri Endpoint
    {
        get
        {
            var builder = new UriBuilder(CoreUrl)
            {
                Scheme = CoreUrl.Scheme switch
                {
                    "https" or "wss" => "wss",
                    "http" or "ws" => "ws",
                    var other => other,
                },
            };
            builder.Path = builder.Path.TrimEnd('/') + LinkProtocol.Path;
            return builder.Uri;
        }
    }

    /// <summary>
    /// Exponential backoff with "equal jitter": half the capped exponential delay, plus a random part of the
    /// other half, so a neighbourhood of lockers coming back after a core outage do not reconnect in step.
    /// </summary>
    public TimeSpan Backoff(int attempt, Random random)
    {
        var exponential = InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (random.NextDouble() * capped / 2));
    }
}

public enum LinkState
{
    Offline,
    Connecting,
    Online,
}
