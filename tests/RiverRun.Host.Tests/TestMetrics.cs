using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RiverRun.Host.Monitoring;

namespace RiverRun.Host.Tests;

/// <summary>HostMetrics for tests that build Host classes by hand: real instruments, nobody listening.</summary>
internal static class TestMetrics
{
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static HostMetrics Create() => new(Meters, TimeProvider.System);
}
