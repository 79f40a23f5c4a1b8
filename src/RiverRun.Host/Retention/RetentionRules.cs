namespace RiverRun.Host.Retention;

/// <summary>How much of the past the Host keeps (<c>keep_finished_for</c>, <c>keep_output</c>).</summary>
/// <param name="KeepFinishedFor">A finished task, its history and its output are removed this long after it ended.</param>
/// <param name="KeepOutputBytes">
/// The most bytes of output the finished tasks may hold together; beyond it the oldest finished
/// tasks are removed, whole (record and output), until the rest fits.
/// </param>
public sealed record RetentionRules(TimeSpan KeepFinishedFor, long KeepOutputBytes);
