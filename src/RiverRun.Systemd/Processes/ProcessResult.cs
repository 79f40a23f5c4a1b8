namespace RiverRun.Systemd;

/// <summary>How a finished program ended and what it printed.</summary>
/// <param name="ExitCode">
/// The exit status; for a program killed by a signal .NET reports 128 + the signal number.
/// </param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan RunTime)
{
    public bool IsSuccess => ExitCode == 0;
}
