namespace RiverRun.Contracts.Rpc;

/// <summary>
/// A call that ended with a status other than <see cref="StatusCode.OK"/>. Thrown by handlers to
/// choose the status the client sees, and thrown on the client when a call fails.
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>A failure with the given status and a human-readable detail (the grpc-message).</summary>
    public RpcException(StatusCode statusCode, string detail, Exception? innerException = null)
        : base(FormatMessage(statusCode, detail), innerException)
    {
        StatusCode = statusCode;
        Detail = detail;
    }

    /// <summary>The gRPC status of the failed call.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The status message (grpc-message) as the server wrote it; may be empty.</summary>
    public string Detail { get; }

    /// <summary>The request is wrong: name the field and what is wrong with it.</summary>
    public static RpcException InvalidArgument(string detail) => new(StatusCode.InvalidArgument, detail);

    /// <summary>Something the request names does not exist.</summary>
    public static RpcException NotFound(string detail) => new(StatusCode.NotFound, detail);

    /// <summary>Something the request would create exists already.</summary>
    public static RpcException AlreadyExists(string detail) => new(StatusCode.AlreadyExists, detail);

    /// <summary>The system is not in the state the request needs.</summary>
    public static RpcException FailedPrecondition(string detail) => new(StatusCode.FailedPrecondition, detail);

    /// <summary>The caller presented no valid credentials.</summary>
    public static RpcException Unauthenticated(string detail) => new(StatusCode.Unauthenticated, detail);

    /// <summary>The caller is not allowed to do this.</summary>
    public static RpcException PermissionDenied(string detail) => new(StatusCode.PermissionDenied, detail);

    /// <summary>The method is not implemented.</summary>
    public static RpcException Unimplemented(string detail) => new(StatusCode.Unimplemented, detail);

    /// <summary>The service cannot be reached now.</summary>
    public static RpcException Unavailable(string detail) => new(StatusCode.Unavailable, detail);

    /// <summary>A broken invariant.</summary>
    public static RpcException Internal(string detail) => new(StatusCode.Internal, detail);

    private static string FormatMessage(StatusCode statusCode, string detail) =>
        detail.Length == 0 ? $"gRPC status {statusCode}." : $"gRPC status {statusCode}: {detail}";
}
