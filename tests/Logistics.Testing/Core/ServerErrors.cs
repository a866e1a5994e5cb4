using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Logistics.Testing.Core;

/// <summary>
/// What each test core logged at Error or above, by origin: a test that meets a 500 shows the server's own account of
/// it (the exception and its stack) instead of the bare "Something went wrong" every caller gets.
/// </summary>
public static class ServerErrors
{
    private static readonly ConcurrentDictionary<string, CapturingLogs> ByOrigin = new(StringComparer.Ordinal);

    /// <summary>Adds a capture of errors to a host's logging (before it starts and has an address): register it once it has one.</summary>
    public static CapturingLogs Capture(ILoggingBuilder logging)
    {
        var errors = new CapturingLogs(LogLevel.Error);
        errors.AddTo(logging);
        return errors;
    }

    /// <summary>The host at <paramref name="origin"/> keeps its errors in <paramref name="errors"/> until <see cref="Forget"/>.</summary>
    public static void Register(Uri origin, CapturingLogs errors) => ByOrigin[Origin(origin)] = errors;

    public static void Forget(Uri origin) => ByOrigin.TryRemove(Origin(origin), out _);

    /// <summary>The failed answer's status and body, then what its server logged as errors (the last few).</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var text = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
        if ((int)response.StatusCode < 500 || response.RequestMessage?.RequestUri is not { } uri
            || !ByOrigin.TryGetValue(Origin(uri), out var errors) || errors.Lines is not { Count: > 0 } lines)
        {
            return text;
        }

        return text + Environment.NewLine + "The server logged:" + Environment.NewLine + string.Join(Environment.NewLine, lines.TakeLast(5));
    }

    private static string Origin(Uri address) => address.GetLeftPart(UriPartial.Authority);
}
