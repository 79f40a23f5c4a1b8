using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// Maps single RPC methods onto ASP.NET Core endpoint routing: each becomes a POST endpoint at the
/// method's path. The returned builder takes the usual conventions (e.g. RequireAuthorization).
/// </summary>
public static class RpcEndpointRouteBuilderExtensions
{
    /// <summary>Serves a unary method: one request in, one response out.</summary>
    public static IEndpointConventionBuilder MapUnary<TRequest, TResponse>(
        this IEndpointRouteBuilder endpoints,
        RpcMethod<TRequest, TResponse> method,
        Func<TRequest, RpcCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        RequireKind(method, MethodKind.Unary);
        ArgumentNullException.ThrowIfNull(handler);
        return Map(endpoints, method.Path, method.Kind, async call =>
        {
            var request = await call.ReadSingleRequestAsync(method.RequestParser).ConfigureAwait(false);
            var response = await handler(request, call.Context).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The handler of {method.Path} returned null.");
            await call.WriteMessageAsync(response, default).ConfigureAwait(false);
        });
    }

    /// <summary>Serves a server-streaming method: one request in, any number of responses out.</summary>
    public static IEndpointConventionBuilder MapServerStreaming<TRequest, TResponse>(
        this IEndpointRouteBuilder endpoints,
        RpcMethod<TRequest, TResponse> method,
        Func<TRequest, IServerStreamWriter<TResponse>, RpcCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        RequireKind(method, MethodKind.ServerStreaming);
        ArgumentNullException.ThrowIfNull(handler);
        return Map(endpoints, method.Path, method.Kind, async call =>
        {
            var request = await call.ReadSingleRequestAsync(method.RequestParser).ConfigureAwait(false);
            await handler(request, new ServerResponseWriter<TResponse>(call), call.Context).ConfigureAwait(false);
        });
    }

    /// <summary>Serves a duplex-streaming method: both sides stream independently until each ends.</summary>
    public static IEndpointConventionBuilder MapDuplexStreaming<TRequest, TResponse>(
        this IEndpointRouteBuilder endpoints,
        RpcMethod<TRequest, TResponse> method,
        Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, RpcCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        RequireKind(method, MethodKind.DuplexStreaming);
        ArgumentNullException.ThrowIfNull(handler);
        return Map(endpoints, method.Path, method.Kind, call => handler(
            new ServerRequestReader<TRequest>(call, method.RequestParser),
            new ServerResponseWriter<TResponse>(call),
            call.Context));
    }

    private static IEndpointConventionBuilder Map(
        IEndpointRouteBuilder endpoints,
        string path,
        MethodKind kind,
        Func<ServerCall, Task> invoke)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("RiverRun.Contracts.Rpc");
        var options = services.GetService<IOptions<RpcServerOptions>>();
        return endpoints
            .MapPost(path, http => ServerCall.HandleAsync(http, path, kind, options?.Value ?? new RpcServerOptions(), logger, invoke))
            .WithDisplayName($"gRPC {path}");
    }

    private static void RequireKind<TRequest, TResponse>(RpcMethod<TRequest, TResponse> method, MethodKind kind)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Kind != kind)
        {
            throw new ArgumentException($"{method.Path} is a {method.Kind} method, not {kind}.", nameof(method));
        }
    }
}
