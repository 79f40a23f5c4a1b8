namespace RiverRun.Contracts;

/// <summary>
/// How output travels, agreed by the Runner, the Host and the clients: the size of one chunk and
/// the window of unacknowledged bytes a Runner may have in flight per task.
/// </summary>
/// <remarks>
/// A chunk stays below .NET's large-object threshold (85,000 bytes): every receiver allocates each
/// chunk's bytes anew, and at 1 MiB those allocations went to the large-object heap, which is only
/// collected with gen 2, so the Host's and the client's resident memory doubled while a gigabyte
/// went by (client peak 43 -> 107 MB) for no measurable gain in time on a loaded machine. 64 KiB
/// chunks die young in gen 0. The window keeps many chunks in flight, so the Runner reads the
/// next one while the Host stores the last, and bounds what a slow Host has queued.
/// Measured again with pooled buffers on the Runner (3 runs each, alternating, 1 GB, TLS on):
/// 256 KiB chunks in a 4 MiB window cost the same CPU per gigabyte as 64 KiB ones within the
/// noise (Host 6.8-7.2 against 6.2-7.5 CPU-seconds), added background gen 2 collections on
/// the Host and the client, and raised the Host's peak RSS. What a chunk costs is mostly per
/// byte (TLS, copies between gRPC, HTTP/2 and TLS buffers, the page cache), not per message.
/// </remarks>
public static class OutputFlow
{
    /// <summary>The most bytes of output one message carries (Runner to Host, and Host to watchers).</summary>
    public const int ChunkBytes = 64 * 1024;

    /// <summary>The most bytes of one task's output a Runner sends beyond what the Host acknowledged.</summary>
    public const int WindowBytes = 32 * ChunkBytes;

    /// <summary>
    /// The Host acknowledges a task's output at least every this many bytes (and whenever the stream
    /// goes quiet): a quarter of the window, so the Runner never waits for an ack while the pipe is full.
    /// </summary>
    public const int AcknowledgeEveryBytes = WindowBytes / 4;
}
