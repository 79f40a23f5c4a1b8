using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace RiverRun.Host.Security;

/// <summary>
/// The audit lines of the Host's log: who (the token's name and role), what, and from where (the
/// peer address), for submits, kills, pauses, resumes, token changes and Runner registrations.
/// Never a secret: a <see cref="Caller"/> holds none.
/// </summary>
public sealed partial class AuditLog(ILogger<AuditLog> logger)
{
    /// <summary>Tasks were submitted.</summary>
    /// <param name="context">The submit's call.</param>
    /// <param name="taskIds">The tasks it created.</param>
    /// <param name="account">The OS account they run as; empty for the Runner's own user (root).</param>
    public void Submitted(ServerCallContext context, IEnumerable<string> taskIds, string account)
    {
        var who = Who(context);
        var ids = string.Join(",", taskIds);
        var runAs = account.Length > 0 ? account : "root (the Runner's user)";
        var peer = Peer(context);
        TaskSubmitted(logger, who, ids, runAs, peer);
    }

    /// <summary>A kill, pause or resume was asked for.</summary>
    public void Controlled(ServerCallContext context, string action, string taskId)
    {
        var who = Who(context);
        var peer = Peer(context);
        TaskControlled(logger, who, action, taskId, peer);
    }

    /// <summary>A token was created.</summary>
    public void TokenCreated(ServerCallContext context, TokenRecord token)
    {
        var who = Who(context);
        var role = token.Role.ToName();
        var node = token.Node ?? "-";
        var accounts = token.Accounts?.ToString() ?? "-";
        var peer = Peer(context);
        TokenCreatedLine(logger, who, token.Name, role, node, accounts, peer);
    }

    /// <summary>A token was revoked.</summary>
    public void TokenRevoked(ServerCallContext context, string name, int closedStreams)
    {
        var who = Who(context);
        var peer = Peer(context);
        TokenRevokedLine(logger, who, name, closedStreams, peer);
    }

    /// <summary>A Runner registered.</summary>
    public void RunnerRegistered(ServerCallContext context, string node)
    {
        var who = Who(context);
        var peer = Peer(context);
        RunnerRegisteredLine(logger, who, node, peer);
    }

    /// <summary>A Runner was refused the node it asked for.</summary>
    public void RunnerRefused(ServerCallContext context, string node)
    {
        var who = Who(context);
        var peer = Peer(context);
        RunnerRefusedLine(logger, who, node, peer);
    }

    private static string Who(ServerCallContext context) => context.GetCaller().Display;

    private static string Peer(ServerCallContext context) => context.Peer;

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Audit: {Who} submitted task(s) {TaskIds} to run as {Account} from {Peer}")]
    private static partial void TaskSubmitted(ILogger logger, string who, string taskIds, string account, string peer);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "Audit: {Who} asked to {Action} task {TaskId} from {Peer}")]
    private static partial void TaskControlled(ILogger logger, string who, string action, string taskId, string peer);

    [LoggerMessage(EventId = 62, Level = LogLevel.Information, Message = "Audit: {Who} created token {Name} (role {Role}, node {Node}, accounts {Accounts}) from {Peer}")]
    private static partial void TokenCreatedLine(ILogger logger, string who, string name, string role, string node, string accounts, string peer);

    [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "Audit: {Who} revoked token {Name} ({Closed} open stream(s) closed) from {Peer}")]
    private static partial void TokenRevokedLine(ILogger logger, string who, string name, int closed, string peer);

    [LoggerMessage(EventId = 64, Level = LogLevel.Information, Message = "Audit: {Who} registered Runner {Node} from {Peer}")]
    private static partial void RunnerRegisteredLine(ILogger logger, string who, string node, string peer);

    [LoggerMessage(EventId = 65, Level = LogLevel.Warning, Message = "Audit: {Who} tried to register as Runner {Node} from {Peer} and was refused: the token is not bound to that node")]
    private static partial void RunnerRefusedLine(ILogger logger, string who, string node, string peer);
}
