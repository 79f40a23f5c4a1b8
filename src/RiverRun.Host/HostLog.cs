using Microsoft.Extensions.Logging;

namespace RiverRun.Host;

/// <summary>
/// Everything the Host logs, as source-generated messages. Levels: what an operator acts on is
/// Warning or worse; a task's life and Runners coming and going are Information; per-pass and
/// per-chunk detail is Debug.
/// </summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "RiverRun Host listening on {Listen} ({Protocol}), data in {DataDirectory}")]
    public static partial void Started(ILogger logger, string listen, string protocol, string dataDirectory);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Health at http://{Address}/healthz and Prometheus metrics at http://{Address}/metrics (HTTP/1.1)")]
    public static partial void ServingHealthAndMetrics(ILogger logger, System.Net.IPEndPoint address);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "RiverRun Host stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Critical, Message = "{Message}")]
    public static partial void StartupFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Task {TaskId} submitted for {Target}")]
    public static partial void TaskSubmitted(ILogger logger, string taskId, string target);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Task {TaskId}: {From} -> {To} ({Reason})")]
    public static partial void TaskTransitioned(ILogger logger, string taskId, RiverRun.Core.TaskState from, RiverRun.Core.TaskState to, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "Task {TaskId} stays {From}: a change to {To} is not allowed from there")]
    public static partial void TransitionRefused(ILogger logger, string taskId, RiverRun.Core.TaskState from, RiverRun.Core.TaskState to);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Task {TaskId}: kill sent to node {Node}")]
    public static partial void KillRequested(ILogger logger, string taskId, string node);

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Task {TaskId} waits: {Reason}")]
    public static partial void TaskWaits(ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Task {TaskId} sent to node {Node}")]
    public static partial void TaskSent(ILogger logger, string taskId, string node);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Task {TaskId} is assigned to node {Node} but StartTask was not sent ({Reason}); it is sent when the node registers again")]
    public static partial void StartNotSent(ILogger logger, string taskId, string node, string reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "A scheduling pass failed; the next event starts another")]
    public static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Runner {Node} registered with {Capacity}; it holds {Held} task(s), {Restarted} missed task(s) sent again")]
    public static partial void RunnerRegistered(ILogger logger, string node, RiverRun.Core.Resources capacity, int held, int restarted);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Runner {Node} disconnected; its tasks keep their states if it reconnects within {LostAfter}")]
    public static partial void RunnerDisconnected(ILogger logger, string node, TimeSpan lostAfter);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Runner {Node} connected again while its previous stream was open; the previous stream is closed")]
    public static partial void ConnectionReplaced(ILogger logger, string node);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Dropped a report from Runner {Node} about task '{TaskId}': {Why}")]
    public static partial void ReportDropped(ILogger logger, string node, string taskId, string why);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Task {TaskId}: {Stream} chunk at offset {Offset} leaves a gap after the {Stored} bytes stored; the Runner is told to resume at {Stored}")]
    public static partial void OutputGap(ILogger logger, string taskId, string stream, long offset, long stored);

    [LoggerMessage(EventId = 35, Level = LogLevel.Warning, Message = "Node {Node} has been disconnected for {LostAfter}: {Lost} task(s) marked LOST, {Requeued} not yet started task(s) queued again")]
    public static partial void NodeLost(ILogger logger, string node, string lostAfter, int lost, int requeued);

    [LoggerMessage(EventId = 36, Level = LogLevel.Error, Message = "Could not give up the tasks of disconnected node {Node}; trying again in {RetryAfter}")]
    public static partial void NodeLossFailed(ILogger logger, string node, string retryAfter, Exception exception);

    [LoggerMessage(EventId = 37, Level = LogLevel.Error, Message = "A call to {Method} failed with an unexpected error; the caller was told Internal")]
    public static partial void CallFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 38, Level = LogLevel.Information, Message = "Host started: serving gRPC on the socket systemd passed (file descriptor {Descriptor}; configured listen address {Listen}; {Protocol}), data in {DataDirectory}")]
    public static partial void StartedOnPassedSocket(ILogger logger, int descriptor, string listen, string protocol, string dataDirectory);
}
