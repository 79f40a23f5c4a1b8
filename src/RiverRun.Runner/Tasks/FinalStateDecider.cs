using System.Globalization;
using RiverRun.Contracts.V1;
using RiverRun.Systemd;
using ScopeTaskExited = RiverRun.Systemd.TaskExited;

namespace RiverRun.Runner.Tasks;

/// <summary>
/// Decides a task's final state from what the mechanism observed (the wrapper's exit record, or
/// its absence), what the Runner itself did to the scope, and the memory cgroup's OOM count.
/// Pure, so every combination is unit-tested.
/// </summary>
/// <remarks>
/// Order matters. A stop the Runner made (kill, timeout) explains any signal the task died of,
/// so it comes first; a SIGTERM'd task is KILLED, not FAILED with signal 15. Next, any OOM kill in
/// the scope: the limit was exceeded, whatever the exit code says (a shell often survives the
/// kill of its child and exits non-zero, or even 0). Only then the exit status.
/// </remarks>
internal static class FinalStateDecider
{
    private const int SignalBase = 128;
    private const int HighestSignal = 64;

    private static readonly Dictionary<int, string> SignalNames = new()
    {
        [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [6] = "SIGABRT", [7] = "SIGBUS",
        [8] = "SIGFPE", [9] = "SIGKILL", [11] = "SIGSEGV", [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
    };

    /// <param name="outcome">What the mechanism observed.</param>
    /// <param name="stop">Why the Runner stopped the scope, if it did.</param>
    /// <param name="cgroupOomKills">The scope's OOM-kill count read from its memory cgroup; null when unknown.</param>
    /// <param name="timeout">The task's timeout, for the TIMED_OUT reason.</param>
    public static TaskVerdict Decide(ScopeOutcome outcome, StopReason stop, long? cgroupOomKills, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        int? exitCode;
        int? signal;
        long? oomKills;
        string endedText;
        switch (outcome)
        {
            case LaunchFailed failed:
                return TaskVerdict.LaunchFailed(failed.Message);
            case ScopeTaskExited { Record: var record }:
                exitCode = record.ExitCode;
                signal = record.Signal;
                oomKills = Max(record.OomKills, cgroupOomKills);
                endedText = Describe(exitCode, signal);
                break;
            case EndedWithoutRecord ended:
                // The wrapper itself died; its own status (when the Runner was its parent) is the
                // best evidence left of how.
                (exitCode, signal) = ended.WrapperExitCode is { } raw ? Split(raw) : (null, null);
                oomKills = cgroupOomKills;
                endedText = ended.WrapperExitCode is null ? ended.Reason : $"{ended.Reason}; {Describe(exitCode, signal)}";
                break;
            default:
                throw new ArgumentException($"Unknown scope outcome {outcome.GetType().Name}.", nameof(outcome));
        }

        if (stop == StopReason.Killed)
        {
            return new TaskVerdict(TaskState.Killed, exitCode, signal, $"killed on request ({endedText})");
        }

        if (stop == StopReason.TimedOut)
        {
            var limit = timeout is { } t ? $" of {FormatDuration(t)}" : string.Empty;
            return new TaskVerdict(TaskState.TimedOut, exitCode, signal, $"stopped after its timeout{limit} ({endedText})");
        }

        if (oomKills > 0)
        {
            return new TaskVerdict(
                TaskState.OomKilled,
                exitCode,
                signal,
                string.Create(CultureInfo.InvariantCulture, $"killed by the kernel for exceeding its memory limit ({oomKills} OOM kill{(oomKills == 1 ? string.Empty : "s")}; {endedText})"));
        }

        return exitCode == 0
            ? new TaskVerdict(TaskState.Succeeded, 0, null, endedText)
            : new TaskVerdict(TaskState.Failed, exitCode, signal, endedText);
    }

    /// <summary>"exited with code 3", "killed by signal 9 (SIGKILL)".</summary>
    public static string Describe(int? exitCode, int? signal)
    {
        if (exitCode is { } code)
        {
            return string.Create(CultureInfo.InvariantCulture, $"exited with code {code}");
        }

        if (signal is { } number)
        {
            return SignalNames.TryGetValue(number, out var name)
                ? string.Create(CultureInfo.InvariantCulture, $"killed by signal {number} ({name})")
                : string.Create(CultureInfo.InvariantCulture, $"killed by signal {number}");
        }

        return "ended without a recorded exit status";
    }

    // The sh and .NET convention: 128 + n means "killed by signal n".
    private static (int? ExitCode, int? Signal) Split(int raw) =>
        raw > SignalBase && raw - SignalBase <= HighestSignal ? (null, raw - SignalBase) : (raw, null);

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static string FormatDuration(TimeSpan value) =>
        value.TotalSeconds < 120
            ? value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"
            : value.ToString("c", CultureInfo.InvariantCulture);
}
