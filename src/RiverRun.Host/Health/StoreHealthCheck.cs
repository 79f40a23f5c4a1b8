using Microsoft.Extensions.Diagnostics.HealthChecks;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Health;

/// <summary>Healthy while the task store answers a read: a Host that cannot read its state cannot serve.</summary>
public sealed class StoreHealthCheck(ITaskStore store) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy("the task store answers");
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            return HealthCheckResult.Unhealthy($"the task store does not answer: {ex.Message}", ex);
        }
    }
}
