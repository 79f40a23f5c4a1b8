using Microsoft.Extensions.Logging;

namespace RiverRun.Runner;

/// <summary>
/// Logging for the Runner process: under systemd (INVOCATION_ID is set for every service) the
/// systemd console format, whose &lt;N&gt; prefixes journald turns into priorities; elsewhere
/// one readable line per message.
/// </summary>
internal static class RunnerLogging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(LogLevel.Information);
        if (IsUnderSystemd)
        {
            builder.AddSystemdConsole(o => o.UseUtcTimestamp = true);
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
    });

    public static bool IsUnderSystemd => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("INVOCATION_ID"));
}
