using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Resilience.Http.Tests.Telemetry;

/// <summary>
/// Captures every log entry of the categories given: a logger provider for a container with logging, and a logger
/// factory of its own for one without. Shared with the AspNetCore and DependencyInjection tests.
/// </summary>
internal sealed class CapturingLoggerProvider(params string[] categories) : ILoggerProvider, ILoggerFactory
{
    public ConcurrentQueue<(LogLevel Level, EventId EventId, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categories.Contains(categoryName, StringComparer.Ordinal));

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, bool enabled) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => enabled;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (enabled)
            {
                provider.Entries.Enqueue((logLevel, eventId, formatter(state, exception), exception));
            }
        }
    }
}
