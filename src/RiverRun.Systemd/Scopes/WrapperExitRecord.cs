using System.Globalization;

namespace RiverRun.Systemd;

/// <summary>
/// What the wrapper recorded about the task's end (the spool's <c>exit</c> file: key=value
/// lines, unknown keys ignored so the format can grow).
/// </summary>
/// <param name="RawStatus">The shell's <c>$?</c> for the task; null when the task never ran (<paramref name="Error"/> says why).</param>
/// <param name="OomKills">The scope's OOM-kill count when the task ended; null when the wrapper could not read it.</param>
/// <param name="Error">Why the wrapper could not run the task (e.g. the working directory is missing); null when it ran.</param>
/// <param name="OomSource">The cgroup file the OOM count came from, for diagnosis.</param>
/// <param name="CpuTime">CPU time of the scope's processes when the task ended (<c>cpu_usec</c>); null when unknown.</param>
/// <param name="PeakMemoryBytes">The scope's peak memory when the task ended (<c>memory_peak</c>); null when unknown.</param>
/// <param name="IsComplete">Whether the record ends with <see cref="EndLine"/>: the wrapper wrote all of it.</param>
public sealed record WrapperExitRecord(
    int? RawStatus, long? OomKills, string? Error, string? OomSource, TimeSpan? CpuTime = null, long? PeakMemoryBytes = null, bool IsComplete = true)
{
    /// <summary>
    /// The last line of a record: the wrapper writes the record in place, so a reader that finds
    /// the file before the write is done (or after the scope was killed in the middle of it)
    /// sees a record without it. A record without it is still read once the scope has ended:
    /// the status comes first, and wrappers of earlier Runners wrote none (they renamed the file
    /// into place instead).
    /// </summary>
    public const string EndLine = "end=1";

    private const int SignalBase = 128;
    private const int HighestSignal = 64;

    /// <summary>
    /// The task's exit code when it exited normally. Follows the sh convention: a status above
    /// 128 whose remainder is a signal number (1–64) means "killed by that signal", because sh
    /// reports a signalled child as 128 + signal. The convention is ambiguous: a program that
    /// calls exit(137) is indistinguishable from one killed by SIGKILL. Callers that care should
    /// also look at <see cref="OomKills"/> and at whether they signalled the scope themselves.
    /// </summary>
    public int? ExitCode => RawStatus is { } raw && !IsSignalStatus(raw) ? raw : null;

    /// <summary>The signal that (by the sh convention, see <see cref="ExitCode"/>) ended the task.</summary>
    public int? Signal => RawStatus is { } raw && IsSignalStatus(raw) ? raw - SignalBase : null;

    /// <summary>True when the memory cgroup recorded at least one OOM kill.</summary>
    public bool WasOomKilled => OomKills > 0;

    /// <summary>Parses the exit file. Throws <see cref="FormatException"/> when neither a status nor an error is present.</summary>
    public static WrapperExitRecord Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int? status = null;
        long? oomKills = null;
        string? error = null;
        string? oomSource = null;
        TimeSpan? cpuTime = null;
        long? peakMemory = null;
        var complete = false;

        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            if (line == EndLine)
            {
                complete = true;
                continue;
            }

            var key = line[..equals];
            var value = line[(equals + 1)..];
            switch (key)
            {
                case "status":
                    status = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                        ? s
                        : throw new FormatException("Exit record has a status that is not a non-negative number.");
                    break;
                case "oom_kill":
                    // A malformed count is "unknown", not a reason to lose the exit status.
                    oomKills = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : null;
                    break;
                case "error":
                    error = value;
                    break;
                case "oom_source":
                    oomSource = value;
                    break;
                case "cpu_usec":
                    // Usage is extra information: a malformed value is "unknown".
                    // The file is the task user's to write: a count beyond TimeSpan (about 29,000 years) is malformed too.
                    cpuTime = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec <= TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond
                        ? TimeSpan.FromMicroseconds(usec)
                        : null;
                    break;
                case "memory_peak":
                    peakMemory = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var peak) ? peak : null;
                    break;
            }
        }

        if (status is null && error is null)
        {
            throw new FormatException("Exit record has neither a status nor an error line.");
        }

        return new WrapperExitRecord(status, oomKills, error, oomSource, cpuTime, peakMemory, complete);
    }

    private static bool IsSignalStatus(int raw) => raw > SignalBase && raw - SignalBase <= HighestSignal;
}
