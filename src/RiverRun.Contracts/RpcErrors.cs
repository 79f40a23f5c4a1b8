using Grpc.Core;

namespace RiverRun.Contracts;

/// <summary>
/// The failures a RiverRun service throws to choose the status its caller sees. Every detail
/// names what was wrong and how to fix it; the CLI prints it as it is.
/// </summary>
public static class RpcErrors
{
    /// <summary>The request is wrong: name the field and what is wrong with it.</summary>
    public static RpcException InvalidArgument(string detail) => Create(StatusCode.InvalidArgument, detail);

    /// <summary>Something the request names does not exist.</summary>
    public static RpcException NotFound(string detail) => Create(StatusCode.NotFound, detail);

    /// <summary>The system is not in the state the request needs.</summary>
    public static RpcException FailedPrecondition(string detail) => Create(StatusCode.FailedPrecondition, detail);

    /// <summary>The caller presented no valid credentials.</summary>
    public static RpcException Unauthenticated(string detail) => Create(StatusCode.Unauthenticated, detail);

    /// <summary>The caller is not allowed to do this.</summary>
    public static RpcException PermissionDenied(string detail) => Create(StatusCode.PermissionDenied, detail);

    /// <summary>The caller holds too much at once (a per-caller limit); it must release some first.</summary>
    public static RpcException ResourceExhausted(string detail) => Create(StatusCode.ResourceExhausted, detail);

    /// <summary>The service cannot do it now; trying again later may work.</summary>
    public static RpcException Unavailable(string detail) => Create(StatusCode.Unavailable, detail);

    /// <summary>A broken invariant; the detail must not leak internals.</summary>
    public static RpcException Internal(string detail) => Create(StatusCode.Internal, detail);

    /// <summary>
    /// The longest detail sent. The detail travels percent-encoded in the grpc-message trailer,
    /// and clients refuse headers over 64 KiB: a detail echoing a huge field (a node name of
    /// megabytes, found by the fuzz tests) would reach the caller as UNAVAILABLE instead of the
    /// error. 4000 characters stay under 24 KiB even when every one is non-ASCII.
    /// </summary>
    public const int MaxDetailLength = 4000;

    private static RpcException Create(StatusCode code, string detail) => new(new Status(code, Shorten(detail)));

    private static string Shorten(string detail)
    {
        if (detail.Length <= MaxDetailLength)
        {
            return detail;
        }

        // Room for the note; never split a surrogate pair.
        var keep = MaxDetailLength - 60;
        if (char.IsHighSurrogate(detail[keep - 1]))
        {
            keep--;
        }

        return string.Concat(detail.AsSpan(0, keep), $"... ({(detail.Length - keep).ToString(System.Globalization.CultureInfo.InvariantCulture)} more characters)");
    }
}
