using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiverRun.Runner.Connection;
using RiverRun.Runner.Tasks;

namespace RiverRun.Runner;

/// <summary>
/// The Runner's run, once <see cref="RunnerStartup"/> has checked the machine and claimed the
/// state directory: recovers the tasks it held, keeps the Host connection, and expires old
/// spools, until the host stops.
/// </summary>
/// <remarks>
/// The run's services (registry, supervisor, connection, ...) live in a scope of their own: they
/// need the profile and inventory, which exist only after the start, and leaving the scope stops
/// the tasks' supervision (never the tasks) before the Runner says it stopped.
/// </remarks>
internal sealed class RunnerService(IServiceScopeFactory scopes, ILogger<RunnerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var services = scope.ServiceProvider;
            var profile = services.GetRequiredService<RunnerProfile>();
            // Detected once at start (SystemdMachineInspector); the same facts go to the Host in Register.
            var inventory = services.GetRequiredService<Inventory.NodeInventory>();
            RunnerLog.Starting(
                logger, profile.Name, profile.HostUrl, profile.Cores, profile.MemoryBytes, profile.Slice, profile.StateDirectory,
                inventory.SystemdVersion, inventory.CgroupVersion);
            // What riverrun doctor would note about launches (favordynmods), once, where operators look.
            if (services.GetRequiredService<RunnerStartup>().Machine.LaunchLatency is { IsNote: true, Fix: { } fix } launch)
            {
                RunnerLog.LaunchLatencyNote(logger, launch.Detail, fix);
            }

            var registry = services.GetRequiredService<TaskRegistry>();
            try
            {
                await registry.RecoverAsync(stoppingToken).ConfigureAwait(false);
                var connection = services.GetRequiredService<HostConnection>();
                var sweep = registry.SweepRetentionAsync(stoppingToken);
                await connection.RunAsync(stoppingToken).ConfigureAwait(false);
                await sweep.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // A clean stop.
            }
        }

        RunnerLog.Stopped(logger);
    }
}
