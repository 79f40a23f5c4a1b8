using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RiverRun.Contracts;
using RiverRun.Core;
using RiverRun.Host.Health;
using RiverRun.Host.Nodes;
using RiverRun.Host.Output;
using RiverRun.Host.Runners;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Security;
using RiverRun.Host.Services;
using RiverRun.Host.Storage;
using RiverRun.Host.Tasks;

namespace RiverRun.Host;

/// <summary>Registers the Host's services. Everything is a singleton: the Host's state is one per process.</summary>
public static class HostServiceCollectionExtensions
{
    /// <summary>Adds the Host's stores, registry, scheduler, gRPC services, interceptors and health checks for <paramref name="options"/> (already validated).</summary>
    public static IServiceCollection AddRiverRunHost(this IServiceCollection services, HostOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new HostTimings { HeartbeatInterval = options.HeartbeatInterval, NodeLostAfter = options.NodeLostAfter });
        services.AddSingleton<ITaskStore>(sp => new SqliteTaskStore(dataDirectory, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => new OutputLogStore(dataDirectory));
        services.AddSingleton(sp => new TaskIdGenerator(sp.GetRequiredService<TimeProvider>(), System.Security.Cryptography.RandomNumberGenerator.Fill));
        services.AddSingleton<TaskChangeNotifier>();
        services.AddSingleton<SchedulerSignal>();
        services.AddSingleton<SchedulingGate>();
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<NodeLossMonitor>();
        services.AddSingleton<TaskLifecycle>();
        services.AddSingleton<TaskInfoMapper>();
        services.AddSingleton<TaskSubmission>();
        services.AddSingleton<TaskQueries>();
        services.AddSingleton<TaskControl>();
        services.AddSingleton<OutputWatch>();
        services.AddSingleton<NodeQueries>();
        services.AddSingleton<RunnerRegistration>();
        services.AddSingleton<RunnerReports>();
        services.AddSingleton<RunnerSession>();
        services.AddSingleton<Scheduler>();
        services.TryAddSingleton<ICallAuthorizer, OpenAccessAuthorizer>();
        services.AddHostedService<HostStateLoader>();
        services.AddHostedService(sp => sp.GetRequiredService<Scheduler>());
        services.AddSingleton<TasksService>();
        services.AddSingleton<NodesService>();
        services.AddSingleton<RunnersService>();
        services.AddSingleton<ErrorMappingInterceptor>();
        services.AddSingleton<CallAuthorizationInterceptor>();
        services.AddGrpc(grpc =>
        {
            // Outermost first: errors are mapped for everything inside, authorization included.
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
            grpc.Interceptors.Add<CallAuthorizationInterceptor>();
            grpc.MaxReceiveMessageSize = MessageLimits.MaxRequestBytes;
            grpc.MaxSendMessageSize = MessageLimits.MaxResponseBytes;
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks()
            .AddCheck<StoreHealthCheck>("store")
            .AddCheck<SchedulerHealthCheck>("scheduler");
        return services;
    }
}
