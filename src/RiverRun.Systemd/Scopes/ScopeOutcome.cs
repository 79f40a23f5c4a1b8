namespace RiverRun.Systemd;

/// <summary>How a launched (or re-adopted) scope ended, as far as the mechanism can tell.</summary>
public abstract record ScopeOutcome;

/// <summary>
/// The task never ran: systemd-run refused (unit exists, no bus, unknown user, bad property;
/// <paramref name="Message"/> is its stderr), or the wrapper could not enter the working directory.
/// </summary>
public sealed record LaunchFailed(string Message) : ScopeOutcome;

/// <summary>The task ran and ended; the wrapper recorded how.</summary>
public sealed record TaskExited(WrapperExitRecord Record) : ScopeOutcome;

/// <summary>
/// The task started but no exit record exists: the wrapper itself was killed (SIGKILL after
/// the grace period, or chosen by the OOM killer), or the record is unreadable.
/// </summary>
/// <param name="Reason">What was observed, for the task's event log.</param>
/// <param name="WrapperExitCode">The wrapper's exit code when the Runner was its parent (128 + signal when killed); null for a re-adopted scope.</param>
public sealed record EndedWithoutRecord(string Reason, int? WrapperExitCode) : ScopeOutcome;
