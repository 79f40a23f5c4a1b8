using Microsoft.Extensions.Logging;

namespace RiverRun.Contracts.Rpc;

/// <summary>What the server side of the protocol logs. Handler failures are errors (a bug somewhere);
/// clients going away and deadlines are normal life and only debug.</summary>
internal static partial class RpcServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled exception in the handler of {Method}; the client sees Internal.")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Call {Method} was cancelled by the client.")]
    public static partial void CancelledByClient(ILogger logger, string method);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Call {Method} ran past its deadline.")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Rejected a request to {Method}: {Reason}")]
    public static partial void Rejected(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Call {Method} failed with {StatusCode}: {Detail}")]
    public static partial void Failed(ILogger logger, string method, StatusCode statusCode, string detail);
}
