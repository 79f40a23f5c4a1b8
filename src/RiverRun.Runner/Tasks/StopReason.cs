namespace RiverRun.Runner.Tasks;

/// <summary>Why the Runner itself stopped a task's scope; the first reason recorded wins.</summary>
internal enum StopReason
{
    /// <summary>Nobody stopped it: it ended on its own.</summary>
    None,

    /// <summary>The Host asked to kill it (or to forget it while it ran).</summary>
    Killed,

    /// <summary>It ran past its timeout.</summary>
    TimedOut,
}
