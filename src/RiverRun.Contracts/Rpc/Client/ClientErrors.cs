using System.Net;

namespace RiverRun.Contracts.Rpc;

/// <summary>Turns what HttpClient reports into gRPC statuses, so callers only ever handle RpcException.</summary>
internal static class ClientErrors
{
    /// <summary>A non-200 response without grpc-status, mapped as grpc/doc/http-grpc-status-mapping.md says.</summary>
    public static RpcException FromHttpStatus(HttpStatusCode status, Uri address)
    {
        var code = status switch
        {
            HttpStatusCode.BadRequest => StatusCode.Internal,
            HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
            HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
            HttpStatusCode.NotFound => StatusCode.Unimplemented,
            HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
                or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
            _ => StatusCode.Unknown,
        };
        return new RpcException(code, $"Bad gRPC response from {address}: HTTP status {(int)status} {status}.");
    }

    /// <summary>A failure below gRPC: connecting, the connection, or the HTTP/2 stream.</summary>
    public static RpcException FromTransportException(Exception exception, Uri address)
    {
        if (FindInChain<HttpProtocolException>(exception) is { } reset)
        {
            // RST_STREAM / GOAWAY error codes, mapped as the gRPC HTTP/2 spec lists them.
            var code = reset.ErrorCode switch
            {
                0x7 => StatusCode.Unavailable,        // REFUSED_STREAM
                0x8 => StatusCode.Cancelled,          // CANCEL
                0xB => StatusCode.ResourceExhausted,  // ENHANCE_YOUR_CALM
                0xC => StatusCode.PermissionDenied,   // INADEQUATE_SECURITY
                _ => StatusCode.Internal,
            };
            return new RpcException(code, $"The HTTP/2 stream to {address} failed: {reset.Message}", exception);
        }

        return exception switch
        {
            HttpRequestException => new RpcException(StatusCode.Unavailable, $"Cannot reach {address}: {Describe(exception)}", exception),
            IOException => new RpcException(StatusCode.Unavailable, $"The connection to {address} was lost: {Describe(exception)}", exception),
            OperationCanceledException => new RpcException(StatusCode.Cancelled, "The call was cancelled.", exception),
            _ => new RpcException(StatusCode.Internal, $"The call to {address} failed: {Describe(exception)}", exception),
        };
    }

    /// <summary>The message and its causes' messages: "An error occurred while sending the request." alone says nothing.</summary>
    private static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (!parts.Contains(current.Message))
            {
                parts.Add(current.Message);
            }
        }

        return string.Join(" ", parts);
    }

    private static T? FindInChain<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
