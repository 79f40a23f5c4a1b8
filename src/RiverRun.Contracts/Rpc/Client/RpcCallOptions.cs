namespace RiverRun.Contracts.Rpc;

/// <summary>Per-call settings.</summary>
public sealed class RpcCallOptions
{
    /// <summary>Extra request headers (metadata) for this call.</summary>
    public IEnumerable<KeyValuePair<string, string>>? Headers { get; init; }

    /// <summary>How long the call may take. Sent as grpc-timeout so the server stops too, and enforced locally:
    /// when it runs out the call fails with DeadlineExceeded. Null = no deadline.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Cancels the call. A call cancelled this way throws OperationCanceledException (the caller asked
    /// for it; it is not a failure of the call), and the server's handler sees its token cancelled.</summary>
    public CancellationToken CancellationToken { get; init; }
}
