using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Contracts.V1;
using RiverRun.Runner.Inventory;
using RiverRun.Runner.Output;
using RiverRun.Runner.Tasks;
using RiverRun.Systemd.Notify;

namespace RiverRun.Runner.Connection;

/// <summary>
/// One Connect stream, from Register to its end: sends Register, waits for Registered, forgets
/// what the Host no longer wants, resends every held task's story from the acknowledged offsets,
/// heartbeats, and carries out the Host's commands. Anything failing ends the session; the
/// caller reconnects and a new session starts over.
/// </summary>
internal sealed class HostSession
{
    private readonly RunnerProfile _profile;
    private readonly NodeInventory _inventory;
    private readonly TaskRegistry _registry;
    private readonly UsageSampler _usage;
    private readonly RunnerTuning _tuning;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Per task only while its sender runs, and per command only while it runs: a session lasts as
    // long as the connection (days), and must not grow with every task it ever carried.
    private readonly ConcurrentDictionary<string, TaskOutputSender> _senders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _work = new();
    private readonly LoopHeartbeat? _liveness;

    // How long queueing one heartbeat may take while the outbox is full: longer than the HTTP/2
    // keep-alive needs to declare a dead connection, so only a hung session misses its beat.
    private static readonly TimeSpan OutboxStallAllowance = TimeSpan.FromSeconds(60);

    public HostSession(RunnerProfile profile, NodeInventory inventory, TaskRegistry registry, UsageSampler usage, RunnerTuning tuning, TimeProvider time, ILogger logger, LoopHeartbeat? liveness = null)
    {
        _liveness = liveness;
        _profile = profile;
        _inventory = inventory;
        _registry = registry;
        _usage = usage;
        _tuning = tuning;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs the session until the stream ends or fails, or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="call">The open Connect call.</param>
    /// <param name="onRegistered">Called once the Host accepted the registration.</param>
    /// <param name="cancellationToken">The Runner's shutdown.</param>
    /// <exception cref="HostProtocolException">The Host did not answer Register with Registered.</exception>
    public async Task RunAsync(AsyncDuplexStreamingCall<RunnerMessage, HostMessage> call, Action onRegistered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(onRegistered);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var outbox = new Outbox(_tuning.OutboxCapacity);

        // Register is the first message of the stream: queued before the pump starts.
        var held = _registry.Tasks;
        var register = RegistrationBuilder.Build(_profile, _inventory, _registry.HeldTasks);
        await outbox.WriteAsync(new RunnerMessage { Register = register }, session.Token).ConfigureAwait(false);
        var pump = outbox.PumpAsync(call.RequestStream, session.Token);
        try
        {
            var registered = await ReadRegisteredAsync(call, session.Token).ConfigureAwait(false);
            onRegistered();
            var interval = HeartbeatInterval(registered);
            RunnerLog.Registered(_logger, _profile.Name, _profile.HostUrl, held.Count, registered.ForgetTaskIds.Count, interval);

            var forget = registered.ForgetTaskIds.ToHashSet(StringComparer.Ordinal);
            foreach (var taskId in forget)
            {
                Track(_registry.ForgetAsync(taskId, session.Token));
            }

            var resume = registered.Resume.ToDictionary(a => a.TaskId, StringComparer.Ordinal);
            foreach (var run in held.Where(r => !forget.Contains(r.TaskId)))
            {
                var ack = resume.GetValueOrDefault(run.TaskId);
                StartSender(run, outbox, ack?.StdoutOffset ?? 0, ack?.StderrOffset ?? 0, session.Token);
            }

            var heartbeats = HeartbeatAsync(outbox, interval, session.Token);
            var commands = ReadCommandsAsync(call, outbox, session.Token);

            // Whichever ends first (stream closed, write failed) ends the session.
            var first = await Task.WhenAny(pump, heartbeats, commands).ConfigureAwait(false);
            await session.CancelAsync().ConfigureAwait(false);
            await first.ConfigureAwait(false);
            if (first == commands)
            {
                RunnerLog.HostEndedStream(_logger);
            }
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            await DrainAsync(pump).ConfigureAwait(false);
            foreach (var work in _work.Keys)
            {
                await DrainAsync(work).ConfigureAwait(false);
            }
        }
    }

    // The status of a call that has ended in failure; null while it runs (or when it ended well).
    private static Status? FailedStatus(AsyncDuplexStreamingCall<RunnerMessage, HostMessage> call)
    {
        try
        {
            var status = call.GetStatus();
            return status.StatusCode == StatusCode.OK ? null : status;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private async Task<Registered> ReadRegisteredAsync(AsyncDuplexStreamingCall<RunnerMessage, HostMessage> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_tuning.RegistrationTimeout);
        bool any;
        try
        {
            any = await call.ResponseStream.MoveNext(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // grpc-dotnet tells a stream's reader of a call that failed to start (the Host's TLS
            // certificate refused, the connection cut) as a cancellation; the call's status says what happened.
            if (FailedStatus(call) is { } failed)
            {
                throw new RpcException(failed);
            }

            throw new HostProtocolException($"The Host did not answer Register within {_tuning.RegistrationTimeout.TotalSeconds:0.#} s.");
        }

        if (!any)
        {
            throw new HostProtocolException("The Host ended the stream without answering Register.");
        }

        return call.ResponseStream.Current.Registered
            ?? throw new HostProtocolException($"The Host answered Register with {call.ResponseStream.Current.MessageCase} instead of Registered.");
    }

    private TimeSpan HeartbeatInterval(Registered registered)
    {
        var interval = registered.HeartbeatInterval?.ToTimeSpan() ?? TimeSpan.Zero;
        if (interval <= TimeSpan.Zero)
        {
            return _tuning.DefaultHeartbeatInterval;
        }

        return interval < _tuning.MinimumHeartbeatInterval ? _tuning.MinimumHeartbeatInterval : interval;
    }

    private async Task HeartbeatAsync(Outbox outbox, TimeSpan interval, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            var heartbeat = new Heartbeat { Usage = _usage.Sample() };
            heartbeat.RunningTaskIds.AddRange(_registry.RunningTaskIds);
            await outbox.WriteAsync(new RunnerMessage { Heartbeat = heartbeat }, cancellationToken).ConfigureAwait(false);
            _liveness?.Beat(interval + OutboxStallAllowance);
        }
    }

    private async Task ReadCommandsAsync(AsyncDuplexStreamingCall<RunnerMessage, HostMessage> call, Outbox outbox, CancellationToken cancellationToken)
    {
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var message = call.ResponseStream.Current;
            switch (message.MessageCase)
            {
                case HostMessage.MessageOneofCase.Start:
                    await AckAsync(outbox, message.CommandId, StartTask(message.Start, outbox, cancellationToken), cancellationToken).ConfigureAwait(false);
                    break;
                case HostMessage.MessageOneofCase.Kill:
                    Track(AckWhenDoneAsync(outbox, message.CommandId, KillAsync(message.Kill, cancellationToken), cancellationToken));
                    break;
                case HostMessage.MessageOneofCase.Pause:
                    Track(AckWhenDoneAsync(outbox, message.CommandId, WithTaskAsync(message.Pause.TaskId, run => _registry.Supervisor.PauseAsync(run, cancellationToken)), cancellationToken));
                    break;
                case HostMessage.MessageOneofCase.Resume:
                    Track(AckWhenDoneAsync(outbox, message.CommandId, WithTaskAsync(message.Resume.TaskId, run => _registry.Supervisor.ResumeAsync(run, cancellationToken)), cancellationToken));
                    break;
                case HostMessage.MessageOneofCase.OutputAck:
                    // Room in the task's window; the Host repeats the offsets in Registered after a reconnect.
                    RunnerLog.OutputAcknowledged(_logger, message.OutputAck.TaskId, message.OutputAck.StdoutOffset, message.OutputAck.StderrOffset);
                    if (_senders.TryGetValue(message.OutputAck.TaskId, out var sender))
                    {
                        sender.Acknowledge(message.OutputAck.StdoutOffset, message.OutputAck.StderrOffset);
                    }

                    break;
                case HostMessage.MessageOneofCase.DropSpool:
                    Track(DropSpoolAsync(message.DropSpool, cancellationToken));
                    break;
                case HostMessage.MessageOneofCase.Registered:
                    RunnerLog.UnexpectedHostMessage(_logger, message.MessageCase.ToString());
                    break;
                default:
                    // A command from a newer Host: say so rather than leave it unanswered.
                    if (message.CommandId.Length > 0)
                    {
                        await AckAsync(outbox, message.CommandId, $"This Runner (version {_profile.Version}) does not understand {message.MessageCase}.", cancellationToken).ConfigureAwait(false);
                    }

                    RunnerLog.UnexpectedHostMessage(_logger, message.MessageCase.ToString());
                    break;
            }
        }
    }

    // StartTask is acknowledged once the task is accepted; whether it then runs is told by the
    // task's own events (TaskStarted, or TaskExited LAUNCH_FAILED with systemd-run's message).
    private string? StartTask(StartTask start, Outbox outbox, CancellationToken cancellationToken)
    {
        (TaskRun Run, bool IsNew) started;
        try
        {
            started = _registry.Start(start);
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }

        if (!started.IsNew)
        {
            RunnerLog.DuplicateStart(_logger, start.TaskId);
        }

        StartSender(started.Run, outbox, 0, 0, cancellationToken);
        return null;
    }

    private Task<string?> KillAsync(KillTask kill, CancellationToken cancellationToken)
    {
        var grace = kill.GracePeriod is { } period && period.ToTimeSpan() >= TimeSpan.Zero ? period.ToTimeSpan() : _tuning.DefaultKillGrace;

        return WithTaskAsync(kill.TaskId, run => _registry.Supervisor.KillAsync(run, StopReason.Killed, grace, cancellationToken));
    }

    private Task<string?> WithTaskAsync(string taskId, Func<TaskRun, Task<string?>> action) =>
        _registry.Find(taskId) is { } run
            ? action(run)
            : Task.FromResult<string?>($"This Runner holds no task '{taskId}'.");

    // One sender per task per session while it runs: a repeated StartTask must not send the
    // output twice at once. (One repeated after the sender finished sends it again from the start,
    // which the Host skips by offset.)
    private void StartSender(TaskRun run, Outbox outbox, long stdoutOffset, long stderrOffset, CancellationToken cancellationToken)
    {
        var sender = new TaskOutputSender(run, outbox, stdoutOffset, stderrOffset);
        if (!_senders.TryAdd(run.TaskId, sender))
        {
            return;
        }

        Track(RunSenderAsync(sender, cancellationToken));
    }

    private async Task RunSenderAsync(TaskOutputSender sender, CancellationToken cancellationToken)
    {
        try
        {
            // Off the caller's thread: the first reads happen at once, and the caller reads commands.
            await Task.Run(() => sender.RunAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _senders.TryRemove(new KeyValuePair<string, TaskOutputSender>(sender.TaskId, sender));
        }
    }

    // The Host persisted the task's end and holds its whole output durably: the spool goes, and
    // with it everything this Runner kept of the task.
    private async Task DropSpoolAsync(DropSpool drop, CancellationToken cancellationToken)
    {
        var kept = await _registry.DropSpoolAsync(drop.TaskId, drop.StdoutLength, drop.StderrLength, cancellationToken).ConfigureAwait(false);
        if (kept is null)
        {
            RunnerLog.SpoolDropped(_logger, drop.TaskId);
        }
        else
        {
            RunnerLog.SpoolKept(_logger, drop.TaskId, kept);
        }
    }

    /// <summary>Output senders running now (one per task with output or an end still to send).</summary>
    public int ActiveSenders => _senders.Count;

    /// <summary>Commands and senders still running.</summary>
    public int PendingWork => _work.Count;

    private async Task AckWhenDoneAsync(Outbox outbox, string commandId, Task<string?> command, CancellationToken cancellationToken)
    {
        string? error;
        try
        {
            error = await command.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = ex.Message;
        }

        await AckAsync(outbox, commandId, error, cancellationToken).ConfigureAwait(false);
    }

    private async Task AckAsync(Outbox outbox, string commandId, string? error, CancellationToken cancellationToken)
    {
        if (error is not null)
        {
            RunnerLog.CommandFailed(_logger, commandId, error);
        }

        await outbox.WriteAsync(new RunnerMessage { Ack = new CommandAck { CommandId = commandId, Error = error ?? string.Empty } }, cancellationToken).ConfigureAwait(false);
    }

    private void Track(Task work)
    {
        _work[work] = true;
        // Forgotten once done: its outcome is logged by whoever ran it, or by the drain at the end.
        _ = work.ContinueWith(
            static (done, state) =>
            {
                var (self, key) = ((HostSession, Task))state!;
                if (done.IsCompletedSuccessfully)
                {
                    self._work.TryRemove(key, out _);
                }
            },
            (this, work),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task DrainAsync(Task work)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The session ended; this was part of it.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            RunnerLog.SessionWorkFailed(_logger, ex.Message);
        }
    }
}
