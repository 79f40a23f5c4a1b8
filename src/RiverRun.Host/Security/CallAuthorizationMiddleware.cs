using Microsoft.AspNetCore.Http;
using RiverRun.Contracts.Rpc;

namespace RiverRun.Host.Security;

/// <summary>
/// Runs <see cref="ICallAuthorizer"/> on every call before routing reaches a handler, with the
/// role the called service needs. A refused call ends as gRPC Unauthenticated (trailers-only).
/// </summary>
public sealed class CallAuthorizationMiddleware(RequestDelegate next, ICallAuthorizer authorizer)
{
    private const string RunnersPrefix = "/riverrun.v1.Runners/";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var role = context.Request.Path.StartsWithSegments(RunnersPrefix.TrimEnd('/'), StringComparison.Ordinal)
            ? CallerRole.Runner
            : CallerRole.Client;
        if (await authorizer.AuthorizeAsync(role, context) is { } denial)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = ((int)StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture);
            // grpc-message is percent-encoded (gRPC over HTTP/2 spec).
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(denial);
            return;
        }

        await next(context);
    }
}
