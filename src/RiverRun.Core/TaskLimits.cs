namespace RiverRun.Core;

/// <summary>
/// The bounds on what one task may carry, chosen together with the gRPC message limits
/// (RiverRun.Contracts.MessageLimits: the Host accepts 4 MiB, sends and Runners accept 16 MiB) so
/// that anything the Host accepts fits every message it causes on every hop.
/// </summary>
/// <remarks>
/// A start command is one spec plus its target and id: with a spec of at most
/// <see cref="MaxSpecBytes"/> it stays far below both message limits. A page of tasks is bounded
/// by bytes as well as by count (see the Host's TaskQueries), since even 16 tasks of this size
/// fill a 16 MiB response. Each argument and environment entry must also fit the kernel's own
/// limit on one string passed to execve (MAX_ARG_STRLEN, 32 pages), or the task would be
/// accepted and then fail to start on the node.
/// </remarks>
public static class TaskLimits
{
    /// <summary>The most bytes (UTF-8) of argv, environment, working directory and user together: 1 MiB.</summary>
    public const int MaxSpecBytes = 1024 * 1024;

    /// <summary>
    /// The most bytes (UTF-8) of one argument, or of one environment entry written NAME=value:
    /// the kernel's MAX_ARG_STRLEN (128 KiB) less the terminating NUL.
    /// </summary>
    public const int MaxStringBytes = (128 * 1024) - 1;

    /// <summary>The longest timeout a task may ask for; a year is beyond any batch job and keeps every clock sum finite.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(365);

    /// <summary>The most memory a task may ask for: 64 TiB, the same bound as a Runner's advertised capacity.</summary>
    public const long MaxMemoryBytes = 64L << 40;
}
