using Microsoft.Extensions.Diagnostics.HealthChecks;
using RiverRun.Host.Scheduling;

namespace RiverRun.Host.Health;

/// <summary>
/// Healthy while the scheduler's loop runs. It waits for events rather than ticking, so "alive"
/// means its loop has started and not ended; a loop that ended (a bug) leaves tasks queued forever.
/// </summary>
public sealed class SchedulerHealthCheck(Scheduler scheduler) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(scheduler.ExecuteTask switch
        {
            null => HealthCheckResult.Unhealthy("the scheduler has not started"),
            { IsFaulted: true } loop => HealthCheckResult.Unhealthy("the scheduler stopped after an error", loop.Exception),
            { IsCompleted: true } => HealthCheckResult.Unhealthy("the scheduler has stopped"),
            _ => HealthCheckResult.Healthy("the scheduler is running"),
        });
}
