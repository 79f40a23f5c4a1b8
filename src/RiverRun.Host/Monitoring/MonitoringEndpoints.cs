using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RiverRun.Host.Nodes;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Monitoring;

/// <summary>
/// <c>GET /healthz</c> and <c>GET /metrics</c> on the Host's plain HTTP endpoint, and the rule that
/// keeps the two endpoints apart: these two answer only there, gRPC answers only on its own port.
/// </summary>
public static class MonitoringEndpoints
{
    /// <summary>The health path: 200 "healthy" when every check passes, 503 naming the failed ones otherwise.</summary>
    public const string HealthPath = "/healthz";

    /// <summary>The Prometheus scrape path.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Refuses (404) a request that came in on the wrong endpoint: /healthz or /metrics on the gRPC
    /// port, anything else on the HTTP port. Must run after routing (it reads the matched endpoint).
    /// </summary>
    /// <remarks>
    /// By the local port the connection came in on, not by the Host header, which the client
    /// chooses. Kestrel already keeps gRPC off the HTTP port in practice (HTTP/1.1 there, gRPC needs
    /// HTTP/2), but a refusal here makes the rule explicit and testable.
    /// </remarks>
    public static IApplicationBuilder UseListenerSeparation(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var listeners = app.ApplicationServices.GetRequiredService<HostListeners>();
        return app.Use((context, next) =>
        {
            var onHttpEndpoint = listeners.IsHttp(context.Connection.LocalPort);
            var forHttpEndpoint = context.GetEndpoint()?.Metadata.GetMetadata<HttpEndpointOnly>() is not null;
            if (onHttpEndpoint != forHttpEndpoint)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }

    /// <summary>Maps /healthz (the store and scheduler checks that also answer gRPC health) and /metrics.</summary>
    public static void MapMonitoringEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = WriteHealthAsync })
            .WithMetadata(HttpEndpointOnly.Instance);
        endpoints.MapPrometheusScrapingEndpoint(
                MetricsPath,
                meterProvider: null,
                configureBranchedPipeline: branch => branch.Use(PublishClusterSnapshotAsync),
                optionsName: null)
            .WithMetadata(HttpEndpointOnly.Instance);
    }

    // Gauges are read from the store and the registry right before the exporter collects them:
    // their callbacks are synchronous, the store is not.
    private static async Task PublishClusterSnapshotAsync(HttpContext context, Func<Task> next)
    {
        var services = context.RequestServices;
        var active = await services.GetRequiredService<ITaskStore>().ListActiveAsync(context.RequestAborted);
        var nodes = services.GetRequiredService<NodeRegistry>().List();
        services.GetRequiredService<HostMetrics>().Publish(ClusterSnapshot.From(nodes, active));
        await next();
    }

    // One line for curl and load balancers: "healthy", or "unhealthy" and why, check by check.
    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var text = new StringBuilder(report.Status == HealthStatus.Healthy ? "healthy" : "unhealthy");
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append("; ").Append(name).Append(": ").Append(entry.Description);
        }

        return context.Response.WriteAsync(text.Append('\n').ToString(), context.RequestAborted);
    }

    /// <summary>Endpoint metadata: served only on the HTTP endpoint.</summary>
    private sealed class HttpEndpointOnly
    {
        public static readonly HttpEndpointOnly Instance = new();
    }
}
