using Microsoft.Extensions.Logging;

namespace RiverRun.Runner;

/// <summary>
/// Logging for the Runner process: under systemd (INVOCATION_ID is set for every service) the
/// systemd console format, whose &lt;N&gt; prefixes journald turns into priorities; elsewhere
/// one readable line per message.
/// </summary>
internal static class RunnerLogging
{
    /// <summary>The category of what the Runner logs about itself as a whole (it cannot start, it failed).</summary>
    public const string ApplicationCategory = "RiverRun.Runner";

    public static void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        if (IsUnderSystemd)
        {
            logging.AddSystemdConsole(o => o.UseUtcTimestamp = true);
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        // The generic host logs a failed start or a failed run with a full stack trace;
        // RunnerApplication reports either in one line.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
    }

    public static bool IsUnderSystemd => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("INVOCATION_ID"));
}
