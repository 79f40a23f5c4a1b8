using Microsoft.Extensions.Logging;

namespace RiverRun.Host.Retention;

/// <summary>What retention logs, as source-generated messages (event ids 60–69).</summary>
internal static partial class RetentionLog
{
    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Retention removed {Tasks} finished task(s) and {Orphans} orphaned output folder(s), freeing {Freed} (keep_finished_for = {KeepFor}, keep_output = {KeepOutput})")]
    public static partial void Swept(ILogger logger, int tasks, int orphans, string freed, string keepFor, string keepOutput);

    [LoggerMessage(EventId = 61, Level = LogLevel.Error, Message = "A retention sweep failed; the next one runs in {Interval}")]
    public static partial void SweepFailed(ILogger logger, string interval, Exception exception);
}
