namespace RiverRun.Systemd;

/// <summary>
/// The names the wrapper writes in a task's spool directory. Shared by the wrapper script and
/// the readers so that the two cannot drift apart.
/// </summary>
public static class SpoolFiles
{
    /// <summary>Written first by the wrapper (content: its pid): the scope exists and the wrapper runs.</summary>
    public const string Started = "started";

    /// <summary>The task's standard output.</summary>
    public const string StandardOutput = "stdout";

    /// <summary>The task's standard error.</summary>
    public const string StandardError = "stderr";

    /// <summary>
    /// The exit record, written in one go and complete once it ends with its end line (see
    /// <see cref="WrapperExitRecord.IsComplete"/>). A wrapper of an earlier Runner wrote it to
    /// exit.tmp and renamed it here, without an end line.
    /// </summary>
    public const string Exit = "exit";

    /// <summary>The wrapper's own diagnostics (e.g. why cd failed); normally empty.</summary>
    public const string WrapperLog = "wrapper.log";
}
