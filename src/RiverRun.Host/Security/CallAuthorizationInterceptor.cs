using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using RiverRun.Contracts;

namespace RiverRun.Host.Security;

/// <summary>
/// Runs <see cref="ICallAuthorizer"/> on every RiverRun call before its handler, with the method
/// the call was routed to, and leaves the <see cref="Caller"/> for the handler. A refused call ends
/// Unauthenticated or PermissionDenied and its handler never runs. Streaming calls are tracked in
/// <see cref="OpenStreams"/>, so revoking their token ends them (handlers link
/// <see cref="CallerContext.TokenEnded"/>); one that ended that way reports Unauthenticated.
/// </summary>
/// <remarks>
/// The method comes from the endpoint the call was routed to (its metadata), never from the
/// request path: routing ignores letter case, so a path check could be fooled by
/// "/RIVERRUN.V1.RUNNERS/CONNECT". Calls to the standard services (health, reflection) are not
/// RiverRun's and need no token.
/// </remarks>
public sealed class CallAuthorizationInterceptor(ICallAuthorizer authorizer, OpenStreams streams) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthorizeAsync(context, stream: false);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        using var guard = await AuthorizeAsync(context, stream: true);
        await RunStreamAsync(guard, () => continuation(request, responseStream, context));
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthorizeAsync(context, stream: false);
        return await continuation(requestStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        using var guard = await AuthorizeAsync(context, stream: true);
        await RunStreamAsync(guard, () => continuation(requestStream, responseStream, context));
    }

    private static async Task RunStreamAsync(OpenStreams.Guard? guard, Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (Exception ex) when (guard is not null && guard.Ended.IsCancellationRequested && ex is not RpcException { StatusCode: StatusCode.Unauthenticated })
        {
            throw Revoked(guard.Caller);
        }

        // A handler that ends quietly when cancelled (a Runner stream) still tells why.
        if (guard is not null && guard.Ended.IsCancellationRequested)
        {
            throw Revoked(guard.Caller);
        }
    }

    private static RpcException Revoked(Caller caller) =>
        RpcErrors.Unauthenticated($"the token '{caller.Name}' was revoked or has expired; this stream is closed. Ask an admin for a new token");

    private async Task<OpenStreams.Guard?> AuthorizeAsync(ServerCallContext context, bool stream)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        var method = http.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method
            ?? throw RpcErrors.Internal("the call reached no known method");
        if (!RpcPermissions.NeedsToken(method.ServiceName))
        {
            return null;
        }

        var caller = await authorizer.AuthorizeAsync(method.ServiceName, method.Name, context);
        // Open access has no token to revoke: nothing to track.
        var guard = stream && caller.Name.Length > 0 ? streams.Open(caller) : null;
        CallerContext.Set(http, caller, guard);
        return guard;
    }
}
