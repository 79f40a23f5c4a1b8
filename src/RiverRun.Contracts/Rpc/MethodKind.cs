namespace RiverRun.Contracts.Rpc;

/// <summary>How many messages each side of a call sends, as declared by <c>stream</c> in the .proto.</summary>
public enum MethodKind
{
    /// <summary>One request, one response.</summary>
    Unary = 0,
    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming = 1,
    /// <summary>A stream of requests, one response. Described for completeness; no RiverRun RPC uses it, so
    /// neither the server mapping nor the channel offers it.</summary>
    ClientStreaming = 2,
    /// <summary>Both sides stream, independently, over one HTTP/2 request.</summary>
    DuplexStreaming = 3,
}
