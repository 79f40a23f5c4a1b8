namespace RiverRun.Contracts;

/// <summary>
/// How output travels, agreed by the Runner, the Host and the clients: the size of one chunk and
/// the window of unacknowledged bytes a Runner may have in flight per task.
/// </summary>
/// <remarks>
/// Big chunks make the per-message costs (framing, a wake-up, a syscall per hop) small beside the
/// copying of the bytes themselves; 1 MiB stays well within <see cref="MessageLimits.MaxRequestBytes"/>
/// with room for the task id and the framing. The window keeps several chunks in flight, so the
/// Runner reads the next one while the Host stores the last, and bounds what a slow Host has queued.
/// </remarks>
public static class OutputFlow
{
    /// <summary>The most bytes of output one message carries (Runner to Host, and Host to watchers).</summary>
    public const int ChunkBytes = 1024 * 1024;

    /// <summary>The most bytes of one task's output a Runner sends beyond what the Host acknowledged.</summary>
    public const int WindowBytes = 8 * ChunkBytes;

    /// <summary>
    /// The Host acknowledges a task's output at least every this many bytes (and whenever the stream
    /// goes quiet): a quarter of the window, so the Runner never waits for an ack while the pipe is full.
    /// </summary>
    public const int AcknowledgeEveryBytes = WindowBytes / 4;
}
