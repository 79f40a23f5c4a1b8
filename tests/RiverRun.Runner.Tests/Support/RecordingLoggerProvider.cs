using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RiverRun.Runner.Tests;

/// <summary>Keeps every message logged at <paramref name="minimum"/> (Warning unless told) or above, formatted, for assertions.</summary>
internal sealed class RecordingLoggerProvider(LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public ILogger CreateLogger(string categoryName) => new Recorder(_messages, minimum);

    public void Dispose()
    {
    }

    private sealed class Recorder(ConcurrentQueue<string> messages, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                messages.Enqueue(formatter(state, exception));
            }
        }
    }
}
