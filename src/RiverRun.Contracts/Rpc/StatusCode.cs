namespace RiverRun.Contracts.Rpc;

/// <summary>
/// The gRPC status codes, numbered exactly as they travel in the <c>grpc-status</c> trailer
/// (see grpc/doc/statuscodes.md). The numbers are the contract; never renumber.
/// </summary>
public enum StatusCode
{
    /// <summary>Not an error.</summary>
    OK = 0,
    /// <summary>The caller cancelled the call, or went away.</summary>
    Cancelled = 1,
    /// <summary>An error nobody classified (also: a status number this code does not know).</summary>
    Unknown = 2,
    /// <summary>The request is wrong whatever the system's state (a bad field).</summary>
    InvalidArgument = 3,
    /// <summary>The call's deadline passed before it finished.</summary>
    DeadlineExceeded = 4,
    /// <summary>Something the request names does not exist.</summary>
    NotFound = 5,
    /// <summary>Something the request would create already exists.</summary>
    AlreadyExists = 6,
    /// <summary>The caller is known but not allowed to do this.</summary>
    PermissionDenied = 7,
    /// <summary>A quota or size limit was hit (e.g. a message over the receive limit).</summary>
    ResourceExhausted = 8,
    /// <summary>The system is not in a state where the request can be carried out.</summary>
    FailedPrecondition = 9,
    /// <summary>The operation was aborted, typically by a concurrency conflict.</summary>
    Aborted = 10,
    /// <summary>A value is outside the valid range (e.g. past the end).</summary>
    OutOfRange = 11,
    /// <summary>The server does not implement (or does not support) the method.</summary>
    Unimplemented = 12,
    /// <summary>An invariant broke inside the server or the protocol.</summary>
    Internal = 13,
    /// <summary>The service cannot be reached right now; retrying later may work.</summary>
    Unavailable = 14,
    /// <summary>Unrecoverable data loss or corruption.</summary>
    DataLoss = 15,
    /// <summary>The caller did not present valid credentials.</summary>
    Unauthenticated = 16,
}
