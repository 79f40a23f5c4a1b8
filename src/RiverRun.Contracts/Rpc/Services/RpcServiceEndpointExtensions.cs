using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// Maps a whole service onto endpoint routing. Every call resolves the service from the request's DI
/// scope, so its lifetime is the one it was registered with: Scoped gives an instance per call
/// (and per-call dependencies such as a DbContext); Singleton shares one. It must be registered.
/// The returned builder applies conventions (RequireAuthorization, ...) to all of the service's methods.
/// </summary>
public static class RpcServiceEndpointExtensions
{
    /// <summary>Serves <c>riverrun.v1.Tasks</c> with <typeparamref name="TService"/>.</summary>
    public static IEndpointConventionBuilder MapTasksService<TService>(this IEndpointRouteBuilder endpoints)
        where TService : TasksServiceBase
    {
        RequireRegistered<TService>(endpoints);
        return new CompositeEndpointConventionBuilder(
        [
            endpoints.MapUnary(TasksMethods.Submit, (request, context) => Resolve<TService>(context).SubmitAsync(request, context)),
            endpoints.MapUnary(TasksMethods.Get, (request, context) => Resolve<TService>(context).GetAsync(request, context)),
            endpoints.MapUnary(TasksMethods.List, (request, context) => Resolve<TService>(context).ListAsync(request, context)),
            endpoints.MapServerStreaming(TasksMethods.WatchOutput, (request, responses, context) => Resolve<TService>(context).WatchOutputAsync(request, responses, context)),
            endpoints.MapUnary(TasksMethods.Kill, (request, context) => Resolve<TService>(context).KillAsync(request, context)),
            endpoints.MapUnary(TasksMethods.Pause, (request, context) => Resolve<TService>(context).PauseAsync(request, context)),
            endpoints.MapUnary(TasksMethods.Resume, (request, context) => Resolve<TService>(context).ResumeAsync(request, context)),
        ]);
    }

    /// <summary>Serves <c>riverrun.v1.Nodes</c> with <typeparamref name="TService"/>.</summary>
    public static IEndpointConventionBuilder MapNodesService<TService>(this IEndpointRouteBuilder endpoints)
        where TService : NodesServiceBase
    {
        RequireRegistered<TService>(endpoints);
        return new CompositeEndpointConventionBuilder(
        [
            endpoints.MapUnary(NodesMethods.List, (request, context) => Resolve<TService>(context).ListAsync(request, context)),
        ]);
    }

    /// <summary>Serves <c>riverrun.v1.Runners</c> with <typeparamref name="TService"/>.</summary>
    public static IEndpointConventionBuilder MapRunnersService<TService>(this IEndpointRouteBuilder endpoints)
        where TService : RunnersServiceBase
    {
        RequireRegistered<TService>(endpoints);
        return new CompositeEndpointConventionBuilder(
        [
            endpoints.MapDuplexStreaming(RunnersMethods.Connect, (requests, responses, context) => Resolve<TService>(context).ConnectAsync(requests, responses, context)),
        ]);
    }

    private static TService Resolve<TService>(RpcCallContext context)
        where TService : notnull =>
        context.HttpContext.RequestServices.GetRequiredService<TService>();

    /// <summary>Fails at startup rather than on the first call when the service was never registered.</summary>
    private static void RequireRegistered<TService>(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var registrations = endpoints.ServiceProvider.GetService<IServiceProviderIsService>();
        if (registrations is not null && !registrations.IsService(typeof(TService)))
        {
            throw new InvalidOperationException(
                $"{typeof(TService).Name} is not registered; add services.AddScoped<{typeof(TService).Name}>() (or AddSingleton).");
        }
    }
}
