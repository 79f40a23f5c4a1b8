using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiverRun.Runner.Connection;
using RiverRun.Runner.Inventory;
using RiverRun.Runner.Tasks;
using RiverRun.Systemd;
using RiverRun.Systemd.Notify;
using RiverRun.Systemd.Processes;

namespace RiverRun.Runner;

/// <summary>Registers the Runner's services.</summary>
internal static class RunnerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Runner for <paramref name="options"/>, checked when the host starts. The machine's
    /// seams (clock, tuning, systemd's programs, the machine inspector) are added only if missing.
    /// </summary>
    public static IServiceCollection AddRiverRunRunner(this IServiceCollection services, RunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddOptions<RunnerOptions>()
            .Configure(target =>
            {
                // Every property: the command line built this instance; the container's is a copy.
                target.HostUrl = options.HostUrl;
                target.TrustedCaFile = options.TrustedCaFile;
                target.Name = options.Name;
                target.Cores = options.Cores;
                target.MemoryBytes = options.MemoryBytes;
                target.StateDirectory = options.StateDirectory;
                target.Instance = options.Instance;
                target.Origins = options.Origins;
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunnerOptions>, RunnerOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new RunnerTuning());
        services.TryAddSingleton(new SystemdTools());
        services.TryAddSingleton(_ => new SystemdPreflight());
        services.TryAddSingleton(_ => new NodeInventoryReader());
        services.TryAddSingleton<IMachineInspector, SystemdMachineInspector>();

        // Known once RunnerStartup has run (see there): resolve them only after the host started.
        // Under systemd: READY once registered, STATUS=, the watchdog fed by the connection loop.
        services.TryAddSingleton<ISystemdNotifier>(_ => new BestEffortSystemdNotifier());
        services.AddSingleton<RunnerServiceState>();
        services.AddSingleton<IServiceStatusSource>(sp => sp.GetRequiredService<RunnerServiceState>());
        services.AddSingleton(sp => sp.GetRequiredService<RunnerServiceState>().ConnectionLoop);
        services.AddHostedService<SystemdWatchdogService>();
        // A quiet Runner gives back what a burst of tasks left in the GC (IdleMemoryPolicy).
        services.AddHostedService<IdleMemoryTrimmer>();
        services.AddSingleton<RunnerStartup>();
        services.AddSingleton(sp => sp.GetRequiredService<RunnerStartup>().Machine.Inventory);
        services.AddSingleton(sp => sp.GetRequiredService<RunnerStartup>().Profile);

        // One run of the Runner: RunnerService resolves these in its scope, after the start.
        services.AddScoped(sp =>
        {
            var profile = sp.GetRequiredService<RunnerProfile>();
            var inventory = sp.GetRequiredService<NodeInventory>();
            return new LaunchContext(
                profile.Name,
                profile.Slice,
                inventory.SystemdVersion >= SystemdVersion.ExpandEnvironmentOptionSince,
                inventory.NumaNodes);
        });
        services.AddScoped(sp => new ScopeMechanism(
            sp.GetRequiredService<SystemdTools>(),
            sp.GetRequiredService<RunnerStartup>().Machine.CgroupLayout,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<RunnerTuning>().AdoptedLivenessInterval,
            sp.GetRequiredService<ILogger<ScopeMechanism>>()));
        services.AddScoped<TaskSupervisor>();
        services.AddScoped(sp => new TaskRegistry(
            sp.GetRequiredService<RunnerProfile>().TaskPaths,
            sp.GetRequiredService<TaskSupervisor>(),
            sp.GetRequiredService<RunnerTuning>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TaskRegistry>>()));
        services.AddScoped(sp => new UsageSampler(sp.GetRequiredService<NodeInventory>().LogicalCores));
        services.AddScoped<HostConnection>();

        // Start in this order, stop in the reverse one.
        services.AddHostedService(sp => sp.GetRequiredService<RunnerStartup>());
        services.AddSingleton<RunnerService>();
        services.AddHostedService(sp => sp.GetRequiredService<RunnerService>());
        return services;
    }
}
