using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Logistics.Testing.Core;

/// <summary>
/// Every line a host logs from <paramref name="minimum"/> up (every level by default), formatted with its exception, as
/// an operator's log file would hold it.
/// </summary>
public sealed class CapturingLogs(LogLevel minimum = LogLevel.Trace) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    private LogLevel Minimum => minimum;

    /// <summary>Adds this provider to a host's logging; capturing from Trace up turns every level on for the host.</summary>
    public void AddTo(ILoggingBuilder logging)
    {
        if (minimum == LogLevel.Trace)
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddFilter(_ => true);
        }

        logging.AddProvider(this);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= logs.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                logs._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
        }
    }
}
