using RiverRun.Cli.Output;
using RiverRun.Cli.Parsing;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Streaming;

/// <summary>
/// <c>riverrun run</c>'s session with one task: submit it, show that it waits while QUEUED, copy
/// its output, and exit with its exit code. Ctrl-C detaches (the task keeps running) or, with
/// kill-on-detach, kills it and waits for its end.
/// </summary>
public sealed class AttachedTask
{
    private readonly HostConnection _host;
    private readonly CliContext _context;
    private readonly bool _killOnDetach;
    private bool _reportedLeavingQueue;

    public AttachedTask(HostConnection host, CliContext context, bool killOnDetach)
    {
        _host = host;
        _context = context;
        _killOnDetach = killOnDetach;
    }

    /// <summary>Submits a request for exactly one task and follows it; returns the exit code.</summary>
    public async Task<int> SubmitAndFollowAsync(SubmitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SubmitResponse response;
        using (var interrupt = _context.Interrupts.Register())
        {
            try
            {
                response = await _host.Tasks.SubmitAsync(request, cancellationToken: interrupt.Token).ResponseAsync.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (interrupt.Interrupted)
            {
                _context.Error.WriteLine("riverrun: interrupted while submitting; the task may have been created: riverrun list");
                return ExitCodes.Interrupted;
            }
        }

        if (response.Tasks.Count != 1)
        {
            throw new CliException(ExitCodes.Unavailable, $"the Host at {_host.Address} created {response.Tasks.Count} tasks for one target; expected exactly one");
        }

        return await FollowAsync(response.Tasks[0]).ConfigureAwait(false);
    }

    /// <summary>Follows a submitted task to its end; returns the exit code.</summary>
    public async Task<int> FollowAsync(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var id = task.Id;
        await using var indicator = new QueueIndicator(_context, id);
        var follower = new OutputFollower(_host, _context, id, follow: true) { RetryFirstCall = true, BeforeOutput = indicator.Hide };
        follower.TaskChanged = changed => ShowState(changed, indicator);
        using var detach = _context.Interrupts.Register();
        try
        {
            var final = await follower.RunAsync(detach.Token).ConfigureAwait(false);
            indicator.Hide();
            return Finish(final ?? task);
        }
        catch (OperationCanceledException) when (detach.Interrupted)
        {
            indicator.Hide();
        }

        if (!_killOnDetach)
        {
            var what = follower.LastTask?.State == TaskState.Queued ? "it stays queued" : "it keeps running";
            _context.Error.WriteLine($"riverrun: detached from task {id}; {what}. Re-attach with: riverrun logs -f {id}");
            return ExitCodes.Interrupted;
        }

        using var again = _context.Interrupts.Register();
        _context.Error.WriteLine($"riverrun: killing task {id} (Ctrl-C again to stop waiting for its end)");
        try
        {
            await _host.Tasks.KillAsync(new KillRequest { TaskId = id }, cancellationToken: again.Token).ResponseAsync.ConfigureAwait(false);
            var final = await follower.RunAsync(again.Token).ConfigureAwait(false);
            _context.Error.WriteLine($"riverrun: task {id} ended {TaskStateNames.Name((final ?? task).State)}");
        }
        catch (OperationCanceledException) when (again.Interrupted)
        {
            _context.Error.WriteLine($"riverrun: stopped waiting; task {id} is being killed: riverrun status {id}");
        }

        return ExitCodes.Interrupted;
    }

    private void ShowState(TaskInfo task, QueueIndicator indicator)
    {
        if (task.State == TaskState.Queued)
        {
            indicator.Show();
            return;
        }

        indicator.Hide();
        if (!_reportedLeavingQueue && indicator.Waited is { } waited && task.State is TaskState.Assigned or TaskState.Running)
        {
            _reportedLeavingQueue = true;
            var node = task.Node.Length > 0 ? $" on {task.Node}" : string.Empty;
            _context.Error.WriteLine($"riverrun: task {task.Id} left the queue{node} after {Formats.Elapsed(waited)}");
        }
    }

    // The exit code, and a line on stderr when the end is not the command's own doing.
    private int Finish(TaskInfo task)
    {
        var code = ExitCodes.ForTask(task);
        var reason = task.Reason.Length > 0 ? ": " + task.Reason : string.Empty;
        switch (task.State)
        {
            case TaskState.Succeeded:
                break;
            case TaskState.Failed when task.Exit is { HasSignal: true }:
                _context.Error.WriteLine($"riverrun: task {task.Id} was killed by signal {task.Exit.Signal}{reason} (exit {code})");
                break;
            case TaskState.Failed:
                break;
            default:
                _context.Error.WriteLine($"riverrun: task {task.Id} ended {TaskStateNames.Name(task.State)}{reason} (exit {code})");
                break;
        }

        return code;
    }
}
