using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Google.Protobuf;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Output;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Security;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Runners;

/// <summary>
/// Serves one Runner's Connect stream from Register to disconnect.
/// </summary>
/// <remarks>
/// Output is acknowledged per batch: after the chunks that had already arrived are stored, one
/// OutputAck per task goes out, and at least every <see cref="OutputFlow.AcknowledgeEveryBytes"/>
/// of a task while chunks keep coming, so a fast producer gets few acks, a slow one an ack for each
/// chunk, and a Runner's window never closes on a busy Host. Once a task's end is persisted and its
/// whole output stored durably, DropSpool tells the Runner it may delete the task's spool. A disconnect marks the node not connected and starts its
/// <see cref="NodeLossMonitor"/> countdown: its tasks keep their states, because the Runner usually
/// reconnects and its tasks survive; only a node that stays away for good has them given up.
/// </remarks>
public sealed class RunnerSession(
    RunnerRegistration registration,
    RunnerReports events,
    NodeRegistry nodes,
    NodeLossMonitor lossMonitor,
    OutputLogStore output,
    SchedulerSignal scheduler,
    HostTimings timings,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    AuditLog audit,
    ILogger<RunnerSession> logger)
{
    // How long a stream the Runner ended may take to send what is still queued for it.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    // The first message, within timings.RegisterTimeout: a stream that never registers is ended
    // with a clear error instead of being held open for ever. A message that is not protobuf
    // is the caller's error (InvalidArgument), not the Host's.
    private async Task<bool> ReadRegisterAsync(IAsyncStreamReader<V1.RunnerMessage> requests, ServerCallContext context)
    {
        // Raced against a timer rather than cancelled: cancelling grpc-dotnet's read resets the
        // stream, and the caller would learn only "cancelled", not why.
        var first = requests.MoveNext(context.CancellationToken);
        using var timerStop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var expired = Task.Delay(timings.RegisterTimeout, clock, timerStop.Token);
        if (await Task.WhenAny(first, expired) != first)
        {
            // The read ends with the call; its outcome no longer matters.
            _ = first.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            context.CancellationToken.ThrowIfCancellationRequested();
            // InvalidArgument, not DeadlineExceeded: grpc-dotnet clients that surface cancellation
            // as OperationCanceledException (ours do) report a DeadlineExceeded from the server as
            // their own cancellation, hiding the message.
            throw RpcErrors.InvalidArgument($"no register message within {DurationParser.Format(timings.RegisterTimeout)}: a Runner stream must begin with register");
        }

        await timerStop.CancelAsync();
        try
        {
            return await first;
        }
        catch (InvalidProtocolBufferException)
        {
            throw RpcErrors.InvalidArgument("the Runner stream's first message is not a valid riverrun.v1.RunnerMessage");
        }
    }

    /// <summary>Runs the stream until the Runner closes it, the call is cancelled, or a newer stream replaces it.</summary>
    public async Task RunAsync(IAsyncStreamReader<V1.RunnerMessage> requests, IServerStreamWriter<V1.HostMessage> responses, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(context);
        if (!await ReadRegisterAsync(requests, context))
        {
            return;
        }

        if (requests.Current.MessageCase != V1.RunnerMessage.MessageOneofCase.Register)
        {
            throw RpcErrors.InvalidArgument($"the first message of a Runner stream must be register, not {requests.Current.MessageCase}");
        }

        var register = requests.Current.Register;
        var node = RegistrationValidator.Validate(register, clock.GetUtcNow());
        // Checked before anything of the node changes: a refused stream must not replace the real one.
        if (!TaskAccess.MayRegisterAs(context.GetCaller(), node.Name))
        {
            audit.RunnerRefused(context, node.Name);
            var caller = context.GetCaller();
            throw RpcErrors.PermissionDenied(caller.Role == TokenRole.Runner && caller.Node is { } bound
                ? $"the token '{caller.Name}' is bound to node {bound} (and its instances {bound}-NAME), not {node.Name}; run this Runner with the token created for {node.Name} (`riverrun token create --role runner --name NAME --node {node.Name}`)"
                : $"the token '{caller.Name}' may not register Runners; use a runner token bound to {node.Name}");
        }

        audit.RunnerRegistered(context, node.Name);
        // A stopping Host ends Runner streams at once instead of waiting out the shutdown timeout
        // for them; a revoked token ends its stream at once too.
        using var callOrStopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping, context.TokenEnded());
        await using var connection = new RunnerConnection(node.Name, responses, callOrStopping.Token);
        try
        {
            await registration.RegisterAsync(node, register.HeldTasks, connection, connection.Closed);
            await ReadMessagesAsync(requests, connection);
            // The Runner ended its side: what is queued for it still goes out before the call ends,
            // instead of a close that would reset the stream under a write.
            await connection.DrainAsync(DrainTimeout);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RunnerDisconnectedException && connection.Closed.IsCancellationRequested)
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // Unavailable tells the Runner to reconnect (with backoff) to the next Host process.
                throw RpcErrors.Unavailable("the Host is shutting down; reconnect");
            }

            // Otherwise replaced by a newer stream of the same Runner, or the call ended: nothing to report.
        }
        catch (InvalidProtocolBufferException)
        {
            // Bytes that are not a RunnerMessage: the sender's error, said as such (not INTERNAL).
            throw RpcErrors.InvalidArgument("a message on the Runner stream is not a valid riverrun.v1.RunnerMessage");
        }
        finally
        {
            if (nodes.Detach(node.Name, onlyIf: connection) is not null)
            {
                HostLog.RunnerDisconnected(logger, node.Name, timings.NodeLostAfter);
                lossMonitor.NodeDisconnected(node.Name);
                scheduler.Request();
            }

            connection.Close();
        }
    }

    private async Task ReadMessagesAsync(IAsyncStreamReader<V1.RunnerMessage> requests, RunnerConnection connection)
    {
        var token = connection.Closed;
        // Bytes stored per task since its last ack.
        var unacknowledged = new Dictionary<TaskId, long>();
        var ownTasks = new HashSet<TaskId>();
        var next = requests.MoveNext(token);
        while (true)
        {
            // Nothing more is waiting: the batch is over, acknowledge what it stored.
            if (!next.IsCompleted && unacknowledged.Count > 0)
            {
                await AcknowledgeAsync(connection, unacknowledged.Keys, token);
                unacknowledged.Clear();
            }

            if (!await next)
            {
                break;
            }

            var message = requests.Current;
            switch (message.MessageCase)
            {
                case V1.RunnerMessage.MessageOneofCase.Heartbeat:
                    events.OnHeartbeat(connection, message.Heartbeat);
                    break;
                case V1.RunnerMessage.MessageOneofCase.Started:
                    await events.OnStartedAsync(connection, message.Started, token);
                    break;
                case V1.RunnerMessage.MessageOneofCase.Output:
                    if (await events.OnOutputAsync(connection, message.Output, ownTasks, token) is { } outputTask)
                    {
                        var pending = unacknowledged.GetValueOrDefault(outputTask) + message.Output.Data.Length;
                        if (pending >= OutputFlow.AcknowledgeEveryBytes)
                        {
                            // Within the Runner's window, so it never stalls waiting for this ack.
                            unacknowledged.Remove(outputTask);
                            await AcknowledgeAsync(connection, [outputTask], token);
                        }
                        else
                        {
                            unacknowledged[outputTask] = pending;
                        }
                    }

                    break;
                case V1.RunnerMessage.MessageOneofCase.Exited:
                    if (await events.OnExitedAsync(connection, message.Exited, token) is { } exited)
                    {
                        var exitedTask = exited.Id;
                        // The final ack tells the Runner exactly what the Host kept.
                        unacknowledged.Remove(exitedTask);
                        await AcknowledgeAsync(connection, [exitedTask], token);
                        ownTasks.Remove(exitedTask);
                        await DropSpoolIfCompleteAsync(connection, exited, message.Exited, token);
                        // Its files are done with for now; a late re-send or a watcher opens them again.
                        output.Release(exitedTask);
                    }

                    break;
                case V1.RunnerMessage.MessageOneofCase.Ack:
                    connection.Acknowledge(message.Ack);
                    break;
                case V1.RunnerMessage.MessageOneofCase.Register:
                    throw RpcErrors.InvalidArgument("register may only be the first message of a Runner stream; reconnect to register again");
                default:
                    HostLog.ReportDropped(logger, connection.NodeName, string.Empty, $"an empty or unknown message ({message.MessageCase})");
                    break;
            }

            next = requests.MoveNext(token);
        }
    }

    // Acks say what is stored, not what is durable: nothing is fsynced per chunk. That loses
    // nothing, because the Runner keeps its spool until DropSpool, which only follows an fsync; a
    // kill -9 of the Host leaves what it wrote in the page cache, and after a crash of the machine
    // the stored lengths (the files' sizes) are where the Runner resumes.
    private async Task AcknowledgeAsync(RunnerConnection connection, IEnumerable<TaskId> tasks, CancellationToken cancellationToken)
    {
        foreach (var id in tasks)
        {
            var ack = new V1.OutputAck
            {
                TaskId = id.Value,
                StdoutOffset = output.GetLength(id, V1.OutputStream.Stdout),
                StderrOffset = output.GetLength(id, V1.OutputStream.Stderr),
            };
            await connection.SendAsync(new V1.HostMessage { OutputAck = ack }, cancellationToken);
        }
    }

    // The task's end is persisted (OnExitedAsync stored it, or it was final before: it says which,
    // from the write it just made, so no second read) and, once every byte the Runner announced is
    // stored and flushed to disk, the Runner may delete its spool. Otherwise it keeps it, and the
    // next registration resumes from what is stored.
    private async Task DropSpoolIfCompleteAsync(RunnerConnection connection, ExitedTask task, V1.TaskExited exited, CancellationToken cancellationToken)
    {
        var id = task.Id;
        var stdout = output.GetLength(id, V1.OutputStream.Stdout);
        var stderr = output.GetLength(id, V1.OutputStream.Stderr);
        if (stdout != exited.StdoutLength || stderr != exited.StderrLength || !task.EndPersisted)
        {
            return;
        }

        output.Flush(id);
        await connection.SendAsync(
            new V1.HostMessage { DropSpool = new V1.DropSpool { TaskId = id.Value, StdoutLength = stdout, StderrLength = stderr } },
            cancellationToken);
    }
}
