using Microsoft.Extensions.Logging;

namespace RiverRun.Runner;

/// <summary>Every message the Runner logs, as source-generated log methods (no boxing, no parsing).</summary>
internal static partial class RunnerLog
{
    [LoggerMessage(1, LogLevel.Critical, "The Runner cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Information, "Runner {Name} starting: Host {HostUrl}, {Cores} cores, {MemoryBytes} bytes of memory, slice {Slice}, state in {StateDirectory}; systemd {SystemdVersion}, cgroup v{CgroupVersion}")]
    public static partial void Starting(ILogger logger, string name, Uri hostUrl, double cores, long memoryBytes, string slice, string stateDirectory, int systemdVersion, int cgroupVersion);

    [LoggerMessage(5, LogLevel.Information, "Task launches: {Detail}; to change it: {Fix}")]
    public static partial void LaunchLatencyNote(ILogger logger, string detail, string fix);

    [LoggerMessage(3, LogLevel.Information, "Runner stopped; running tasks keep running and are re-adopted at the next start")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(4, LogLevel.Critical, "The Runner failed and stopped: {Reason}; running tasks keep running and are re-adopted at the next start")]
    public static partial void Failed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Connecting to the Host at {HostUrl} (attempt {Attempt})")]
    public static partial void Connecting(ILogger logger, Uri hostUrl, int attempt);

    [LoggerMessage(11, LogLevel.Warning, "Lost the connection to the Host at {HostUrl}: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, Uri hostUrl, string reason);

    [LoggerMessage(12, LogLevel.Information, "Reconnecting in {Delay} (attempt {Attempt})")]
    public static partial void Reconnecting(ILogger logger, TimeSpan delay, int attempt);

    [LoggerMessage(13, LogLevel.Information, "Registered as {Name} with the Host at {HostUrl}: {Held} tasks held, {Forgotten} to forget, heartbeat every {Interval}")]
    public static partial void Registered(ILogger logger, string name, Uri hostUrl, int held, int forgotten, TimeSpan interval);

    [LoggerMessage(14, LogLevel.Warning, "The Host ended the stream")]
    public static partial void HostEndedStream(ILogger logger);

    [LoggerMessage(15, LogLevel.Debug, "The Host stored task {TaskId} up to stdout {StdoutOffset}, stderr {StderrOffset}")]
    public static partial void OutputAcknowledged(ILogger logger, string taskId, long stdoutOffset, long stderrOffset);

    [LoggerMessage(16, LogLevel.Warning, "Ignoring an unexpected {Kind} from the Host")]
    public static partial void UnexpectedHostMessage(ILogger logger, string kind);

    [LoggerMessage(17, LogLevel.Warning, "Command {CommandId} failed: {Error}")]
    public static partial void CommandFailed(ILogger logger, string commandId, string error);

    [LoggerMessage(18, LogLevel.Warning, "Part of the connection failed: {Reason}")]
    public static partial void SessionWorkFailed(ILogger logger, string reason);

    [LoggerMessage(20, LogLevel.Information, "Task {TaskId} accepted ({ArgumentCount} arguments)")]
    public static partial void TaskAccepted(ILogger logger, string taskId, int argumentCount);

    [LoggerMessage(21, LogLevel.Information, "Task {TaskId} is already held; StartTask ignored")]
    public static partial void DuplicateStart(ILogger logger, string taskId);

    [LoggerMessage(22, LogLevel.Debug, "Task {TaskId}: systemd-run started for {Unit}")]
    public static partial void TaskLaunched(ILogger logger, string taskId, string unit);

    [LoggerMessage(23, LogLevel.Information, "Task {TaskId} started in {Unit}")]
    public static partial void TaskStarted(ILogger logger, string taskId, string unit);

    [LoggerMessage(24, LogLevel.Information, "Task {TaskId} ended {State}: {Reason}")]
    public static partial void TaskEnded(ILogger logger, string taskId, string state, string reason);

    [LoggerMessage(25, LogLevel.Information, "Task {TaskId} re-adopted: {Unit} still runs")]
    public static partial void TaskAdopted(ILogger logger, string taskId, string unit);

    [LoggerMessage(26, LogLevel.Information, "Task {TaskId} stopped ({Reason}): {Result}")]
    public static partial void TaskKilled(ILogger logger, string taskId, string reason, string result);

    [LoggerMessage(27, LogLevel.Information, "Task {TaskId} ran past its timeout of {Timeout}; stopping it")]
    public static partial void TaskTimedOut(ILogger logger, string taskId, TimeSpan timeout);

    [LoggerMessage(28, LogLevel.Warning, "Stopping task {TaskId} failed: {Error}")]
    public static partial void KillFailed(ILogger logger, string taskId, string error);

    [LoggerMessage(29, LogLevel.Information, "Task {TaskId} forgotten: its directory is deleted")]
    public static partial void TaskForgotten(ILogger logger, string taskId);

    [LoggerMessage(30, LogLevel.Information, "Task {TaskId} ended longer ago than the retention period; forgetting it")]
    public static partial void RetentionExpired(ILogger logger, string taskId);

    [LoggerMessage(31, LogLevel.Error, "Task {TaskId}: cannot record its result: {Reason}")]
    public static partial void ResultNotPersisted(ILogger logger, string taskId, string reason);

    [LoggerMessage(32, LogLevel.Error, "Supervising a task failed")]
    public static partial void SupervisionFailed(ILogger logger, Exception exception);

    [LoggerMessage(33, LogLevel.Warning, "systemctl failed: {Reason}")]
    public static partial void SystemctlFailed(ILogger logger, string reason);

    [LoggerMessage(34, LogLevel.Warning, "Cannot read the OOM count of {Unit}: {Reason}")]
    public static partial void OomCountUnreadable(ILogger logger, string unit, string reason);

    [LoggerMessage(35, LogLevel.Warning, "Task {TaskId}'s spool cannot be watched, so it is read on a timer instead: {Reason} (raise fs.inotify.max_user_watches)")]
    public static partial void SpoolUnwatched(ILogger logger, string taskId, string reason);

    [LoggerMessage(40, LogLevel.Information, "Recovered {Count} tasks from the state directory, {Running} of them still running")]
    public static partial void Recovered(ILogger logger, int count, int running);

    [LoggerMessage(41, LogLevel.Warning, "Skipping {Path}: not a task directory")]
    public static partial void ForeignDirectorySkipped(ILogger logger, string path);

    [LoggerMessage(42, LogLevel.Warning, "Deleting {Path}: its task cannot be read ({Reason})")]
    public static partial void UnreadableTaskDeleted(ILogger logger, string path, string reason);

    [LoggerMessage(43, LogLevel.Warning, "Cannot delete {Path}: {Reason}")]
    public static partial void DeleteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(44, LogLevel.Debug, "Stopping {Count} emptied scope unit(s) reported: {Reason}")]
    public static partial void EmptiedScopesNotStopped(ILogger logger, int count, string reason);

    [LoggerMessage(45, LogLevel.Warning, "Deleting {Path}: a spool without a task (its task directory is gone)")]
    public static partial void OrphanSpoolDeleted(ILogger logger, string path);

    [LoggerMessage(46, LogLevel.Information, "The Host stored task {TaskId}'s whole output and its end: its spool is deleted")]
    public static partial void SpoolDropped(ILogger logger, string taskId);

    [LoggerMessage(47, LogLevel.Warning, "Keeping task {TaskId}'s spool although the Host asked to drop it: {Reason}")]
    public static partial void SpoolKept(ILogger logger, string taskId, string reason);
}
