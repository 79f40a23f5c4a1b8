using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using RiverRun.Contracts;

namespace RiverRun.Host.Security;

/// <summary>
/// Runs <see cref="ICallAuthorizer"/> on every RiverRun call before its handler, with the role
/// the called service needs. A refused call ends Unauthenticated and its handler never runs.
/// </summary>
/// <remarks>
/// The role comes from the method the call was routed to (its endpoint metadata), never from the
/// request path: routing ignores letter case, so a path check could be fooled by
/// "/RIVERRUN.V1.RUNNERS/CONNECT". Calls to the standard services (health, reflection) are not
/// RiverRun's and need no role.
/// </remarks>
public sealed class CallAuthorizationInterceptor(ICallAuthorizer authorizer) : Interceptor
{
    private const string RunnersService = "riverrun.v1.Runners";
    private const string RiverRunPackage = "riverrun.";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthorizeAsync(context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthorizeAsync(context);
        await continuation(request, responseStream, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthorizeAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthorizeAsync(context);
        await continuation(requestStream, responseStream, context);
    }

    /// <summary>The role a call to <paramref name="serviceName"/> needs; null for services that are not RiverRun's.</summary>
    public static CallerRole? RoleFor(string serviceName)
    {
        ArgumentNullException.ThrowIfNull(serviceName);
        if (string.Equals(serviceName, RunnersService, StringComparison.Ordinal))
        {
            return CallerRole.Runner;
        }

        return serviceName.StartsWith(RiverRunPackage, StringComparison.Ordinal) ? CallerRole.Client : null;
    }

    private async Task AuthorizeAsync(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var method = context.GetHttpContext().GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method
            ?? throw RpcErrors.Internal("the call reached no known method");
        if (RoleFor(method.ServiceName) is not { } role)
        {
            return;
        }

        if (await authorizer.AuthorizeAsync(role, context) is { } denial)
        {
            throw RpcErrors.Unauthenticated(denial);
        }
    }
}
