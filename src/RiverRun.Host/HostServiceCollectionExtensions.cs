using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using RiverRun.Contracts;
using RiverRun.Core;
using RiverRun.Host.Health;
using RiverRun.Host.Monitoring;
using RiverRun.Host.Nodes;
using RiverRun.Host.Output;
using RiverRun.Host.Retention;
using RiverRun.Host.Runners;
using RiverRun.Host.Scheduling;
using RiverRun.Host.Security;
using RiverRun.Host.Services;
using RiverRun.Host.Storage;
using RiverRun.Host.Tasks;
using RiverRun.Host.Tls;
using RiverRun.Systemd.Notify;
using RiverRun.Systemd.Processes;

namespace RiverRun.Host;

/// <summary>Registers the Host's services. Everything is a singleton: the Host's state is one per process.</summary>
public static class HostServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Host's stores, registry, scheduler, gRPC services, interceptors and health checks for
    /// <paramref name="options"/>, which are checked when the host starts (an invalid option makes the
    /// start throw <see cref="OptionsValidationException"/>, naming the flag).
    /// </summary>
    public static IServiceCollection AddRiverRunHost(this IServiceCollection services, HostOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddOptions<HostOptions>()
            .Configure(target =>
            {
                // Every property: the command line built this instance; the container's is a copy.
                target.Listen = options.Listen;
                target.HttpListen = options.HttpListen;
                target.DataDirectory = options.DataDirectory;
                target.HeartbeatInterval = options.HeartbeatInterval;
                target.NodeLostAfter = options.NodeLostAfter;
                target.KeepFinishedFor = options.KeepFinishedFor;
                target.KeepOutputBytes = options.KeepOutputBytes;
                target.TlsCertificate = options.TlsCertificate;
                target.TlsKey = options.TlsKey;
                target.Insecure = options.Insecure;
                target.Origins = options.Origins;
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HostOptions>, HostOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var hostOptions = sp.GetRequiredService<IOptions<HostOptions>>().Value;
            return new HostTimings { HeartbeatInterval = hostOptions.HeartbeatInterval, NodeLostAfter = hostOptions.NodeLostAfter };
        });
        services.TryAddSingleton(new ConnectionLimits());
        services.AddSingleton<HostDataDirectory>();
        services.AddSingleton<ITaskStore>(sp => new SqliteTaskStore(sp.GetRequiredService<HostDataDirectory>().Path, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new OutputLogStore(sp.GetRequiredService<HostDataDirectory>().Path));
        services.AddSingleton(sp => new TaskIdGenerator(sp.GetRequiredService<TimeProvider>(), System.Security.Cryptography.RandomNumberGenerator.Fill));
        services.AddSingleton(sp =>
        {
            var hostOptions = sp.GetRequiredService<IOptions<HostOptions>>().Value;
            return new RetentionRules(hostOptions.KeepFinishedFor, hostOptions.KeepOutputBytes);
        });
        services.AddSingleton<RetentionSweep>();
        services.AddSingleton<TaskChangeNotifier>();
        services.AddSingleton<OutputFeed>();
        services.AddSingleton<SchedulerSignal>();
        services.AddSingleton<SchedulerState>();
        services.AddSingleton<SchedulingGate>();
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<NodeLossMonitor>();
        services.AddSingleton<TaskLifecycle>();
        services.AddSingleton<TaskInfoMapper>();
        services.AddSingleton<TaskSubmission>();
        services.AddSingleton<TaskQueries>();
        services.AddSingleton<TaskControl>();
        services.AddSingleton<OutputWatch>();
        services.AddSingleton<WatchLimiter>();
        services.AddSingleton<NodeQueries>();
        services.AddSingleton<RunnerRegistration>();
        services.AddSingleton<RunnerReports>();
        services.AddSingleton<RunnerSession>();
        services.AddSingleton<Scheduler>();
        services.AddSingleton(sp => new SqliteTokenStore(sp.GetRequiredService<HostDataDirectory>().Path));
        services.TryAddSingleton<ICallAuthorizer, TokenAuthorizer>();
        services.AddSingleton<OpenStreams>();
        services.AddSingleton<AuditLog>();
        // Under systemd: READY (HostApplication), STATUS= and the watchdog, fed by the scheduler's loop.
        services.TryAddSingleton(_ => PassedListenSockets.FromEnvironment());
        services.TryAddSingleton<ISystemdNotifier>(_ => new BestEffortSystemdNotifier());
        services.AddSingleton<IServiceStatusSource, HostServiceStatus>();
        services.AddSingleton(sp => sp.GetRequiredService<Scheduler>().Heartbeat);
        // First of all hosted services, and so before the server accepts anything: the Host
        // refuses to listen beyond loopback without TLS and tokens.
        services.AddHostedService<ListenExposureGuard>();
        services.AddHostedService<SystemdWatchdogService>();
        services.AddHostedService<HostStateLoader>();
        services.AddHostedService(sp => sp.GetRequiredService<Scheduler>());
        services.AddHostedService<RetentionService>();
        // A quiet Host gives back what a burst of submits left in the GC (IdleMemoryPolicy).
        services.AddHostedService<IdleMemoryTrimmer>();
        services.AddSingleton<TasksService>();
        services.AddSingleton<NodesService>();
        services.AddSingleton<RunnersService>();
        services.AddSingleton<TokensService>();
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
        services.AddSingleton<HostListeners>();
        services.AddSingleton<HostMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(HostMetrics.MeterName)
            // .NET's own: the process's CPU time and working set, GC heap and pauses, thread pool.
            // What an operator looks at first when the Host's memory or CPU moves.
            .AddMeter("System.Runtime")
            .AddPrometheusExporter(prometheus =>
            {
                // Every scrape sees the events before it (a test, or two scrapers, must not get a stale copy).
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                // No OpenTelemetry resource is configured: target_info would only say "unknown_service".
                prometheus.TargetInfoEnabled = false;
            }));
        services.AddGrpcHealthChecks()
            .AddCheck<StoreHealthCheck>("store")
            .AddCheck<SchedulerHealthCheck>("scheduler");
        return services;
    }
}
