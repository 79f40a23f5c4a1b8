using RiverRun.Contracts.V1;

namespace RiverRun.Cli;

/// <summary>
/// Every exit code <c>riverrun</c> uses, in one place: the mapping from a task's end to the
/// client's exit status (so <c>riverrun run</c> can stand in for the command in scripts), and
/// the codes for RiverRun's own failures. <see cref="HelpText"/> is what <c>--help</c> shows.
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything went as asked.</summary>
    public const int Success = 0;

    /// <summary>A task that failed without an exit code or signal RiverRun knows of.</summary>
    public const int GenericFailure = 1;

    /// <summary>Bad usage or an invalid argument, found locally or refused by the Host (InvalidArgument, NotFound, FailedPrecondition).</summary>
    public const int Usage = 2;

    /// <summary>The Host is unreachable or another RPC failure (like sysexits' EX_UNAVAILABLE).</summary>
    public const int Unavailable = 69;

    /// <summary>The task ran past its timeout (like timeout(1)).</summary>
    public const int TimedOut = 124;

    /// <summary>systemd-run refused to start the task (like docker run's own failures).</summary>
    public const int LaunchFailed = 125;

    /// <summary>Added to a signal number for a task killed by that signal (like a shell).</summary>
    public const int SignalBase = 128;

    /// <summary>The user pressed Ctrl-C: detached from (or, with --kill-on-detach, killed) the task.</summary>
    public const int Interrupted = 130;

    /// <summary>Our standard output or error was closed by the reader (e.g. <c>| head</c>), like SIGPIPE would end a process.</summary>
    public const int OutputClosed = 141;

    /// <summary>A bug in riverrun itself (like sysexits' EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>The kernel killed the task for exceeding its memory limit.</summary>
    public const int OomKilled = 250;

    /// <summary>The task's node went away and never came back with news of it.</summary>
    public const int Lost = 251;

    /// <summary>The task was killed before it ever ran.</summary>
    public const int Cancelled = 252;

    // What a kill request sends first; the exit status of a KILLED task whose signal is unknown.
    private const int SigTerm = 15;

    /// <summary>The exit codes, as listed by <c>riverrun --help</c> and <c>riverrun run --help</c>.</summary>
    public const string HelpText =
        """
        Exit codes (run, submit --follow):
          N        the task's own exit code (0 when it succeeded)
          128+N    the task was killed by signal N (a KILLED task without a known signal: 143)
          124      the task ran past its --timeout (TIMED_OUT), like timeout(1)
          125      systemd-run refused to start the task (LAUNCH_FAILED), like docker run
          250      the task exceeded its --memory limit (OOM_KILLED)
          251      the task's node went away (LOST)
          252      the task was killed before it ran (CANCELLED)
          130      Ctrl-C: detached from the task (it keeps running), or killed it with --kill-on-detach

        Exit codes of RiverRun itself (every command):
          2        bad usage or an invalid argument (checked locally, or refused by the Host)
          69       the Host is unreachable, or another failure talking to it
          70       a bug in riverrun itself
          141      the output was closed by its reader (e.g. | head)
        """;

    /// <summary>The exit code that stands for a task's end; <see cref="GenericFailure"/> for a task that has not ended.</summary>
    public static int ForTask(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        int? code = task.Exit is { HasExitCode: true } exit ? exit.ExitCode : null;
        int? signal = task.Exit is { HasSignal: true } killed ? killed.Signal : null;
        return task.State switch
        {
            TaskState.Succeeded => Success,
            TaskState.Failed => signal is { } s ? SignalBase + s : code is { } c and not 0 ? c : GenericFailure,
            TaskState.Killed => signal is { } s ? SignalBase + s : code is { } c and not 0 ? c : SignalBase + SigTerm,
            TaskState.TimedOut => TimedOut,
            TaskState.LaunchFailed => LaunchFailed,
            TaskState.OomKilled => OomKilled,
            TaskState.Lost => Lost,
            TaskState.Cancelled => Cancelled,
            _ => GenericFailure,
        };
    }
}
