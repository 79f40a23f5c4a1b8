using System.Text;
using RiverRun.Cli.Streaming;

namespace RiverRun.Cli;

/// <summary>
/// Everything a command touches outside itself: the two output streams (raw bytes, plus text
/// writers over the same streams), whether they are terminals, the environment, Ctrl-C, the
/// clock and the reconnect pacing. The process uses <see cref="ForProcess"/>; tests build one
/// over memory streams and run the real command pipeline in-process.
/// </summary>
public sealed class CliContext : IDisposable
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    private readonly Lazy<StreamWriter> _out;
    private readonly Lazy<StreamWriter> _error;

    /// <summary>A context over the given streams; the text writers are created over them.</summary>
    public CliContext(Stream standardOutput, Stream standardError)
    {
        ArgumentNullException.ThrowIfNull(standardOutput);
        ArgumentNullException.ThrowIfNull(standardError);
        StandardOutput = standardOutput;
        StandardError = standardError;
        // AutoFlush keeps text and raw bytes written to the same stream in order.
        _out = new(() => new StreamWriter(standardOutput, Utf8, 4096, leaveOpen: true) { AutoFlush = true });
        _error = new(() => new StreamWriter(standardError, Utf8, 4096, leaveOpen: true) { AutoFlush = true });
    }

    /// <summary>Standard output as bytes: a task's stdout is copied here unchanged.</summary>
    public Stream StandardOutput { get; }

    /// <summary>Standard error as bytes: a task's stderr is copied here unchanged.</summary>
    public Stream StandardError { get; }

    /// <summary>Text to standard output (tables, ids), flushed after every write.</summary>
    public TextWriter Out => _out.Value;

    /// <summary>Text to standard error (messages, progress), flushed after every write.</summary>
    public TextWriter Error => _error.Value;

    /// <summary>Whether standard error is a terminal: progress is animated only then.</summary>
    public bool IsErrorTerminal { get; init; }

    /// <summary>Reads an environment variable (RIVERRUN_HOST, RIVERRUN_TOKEN).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Ctrl-C, as tokens that commands register for.</summary>
    public InterruptSource Interrupts { get; } = new();

    /// <summary>The clock for elapsed times and "2s ago".</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How a broken output stream is retried.</summary>
    public ReconnectPolicy Reconnect { get; init; } = ReconnectPolicy.Default;

    /// <summary>The local time zone for timestamps shown to people.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>
    /// Whether the command has this process to itself, so it may change process-wide settings
    /// (the trust store a --ca stands for: SystemTrustStoreRedirect). False in tests, which run
    /// many commands in one process.
    /// </summary>
    public bool OwnsProcess { get; init; }

    /// <summary>The real process: unbuffered standard streams, Console's terminal detection, the process environment.</summary>
    public static CliContext ForProcess() =>
        new(Console.OpenStandardOutput(), Console.OpenStandardError())
        {
            IsErrorTerminal = !Console.IsErrorRedirected,
            OwnsProcess = true,
        };

    /// <summary>Flushes the writers; the streams belong to whoever created the context.</summary>
    public void Dispose()
    {
        if (_out.IsValueCreated)
        {
            _out.Value.Dispose();
        }

        if (_error.IsValueCreated)
        {
            _error.Value.Dispose();
        }
    }
}
