using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Logistics.Testing.Core;

/// <summary>
/// What each test core logged at Error or above, by origin: a test that meets a 500 shows the server's own account of
/// it (the exception and its stack) instead of the bare "Something went wrong" every caller gets.
/// </summary>
public static class ServerErrors
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> ByOrigin = new(StringComparer.Ordinal);

    /// <summary>Adds a capture to a host's logging (before it starts and has an address): register it once it has one.</summary>
    public static ConcurrentQueue<string> Capture(ILoggingBuilder logging)
    {
        var lines = new ConcurrentQueue<string>();
        logging.AddProvider(new Provider(lines));
        return lines;
    }

    /// <summary>The host at <paramref name="origin"/> keeps its errors in <paramref name="lines"/> until <see cref="Forget"/>.</summary>
    public static void Register(Uri origin, ConcurrentQueue<string> lines) => ByOrigin[Origin(origin)] = lines;

    public static void Forget(Uri origin) => ByOrigin.TryRemove(Origin(origin), out _);

    /// <summary>The failed answer's status and body, then what its server logged as errors (the last few).</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var text = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
        if ((int)response.StatusCode < 500 || response.RequestMessage?.RequestUri is not { } uri
            || !ByOrigin.TryGetValue(Origin(uri), out var lines) || lines.IsEmpty)
        {
            return text;
        }

        return text + Environment.NewLine + "The server logged:" + Environment.NewLine + string.Join(Environment.NewLine, lines.TakeLast(5));
    }

    private static string Origin(Uri address) => address.GetLeftPart(UriPartial.Authority);

    private sealed class Provider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
        }
    }
}
