using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RiverRun.Runner.Inventory;

namespace RiverRun.Runner.Tests;

/// <summary>
/// The real Runner (its host, container, startup and run) on a <see cref="FixedMachine"/>, with
/// stand-ins for systemd's programs and short timings.
/// </summary>
internal static class TestRunner
{
    public static readonly NodeInventory Machine = new()
    {
        Hostname = "machine1",
        LogicalCores = 4,
        MemoryBytes = 8L << 30,
        NumaNodes = [new Contracts.V1.NumaNode { Index = 0, Cpus = "0-3", MemoryBytes = 8L << 30 }],
        SystemdVersion = 252,
        CgroupVersion = 1,
    };

    public static readonly RunnerTuning Fast = new()
    {
        AdoptedLivenessInterval = TimeSpan.FromMilliseconds(20),
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaximumDelay = TimeSpan.FromMilliseconds(200),
        DefaultKillGrace = TimeSpan.FromSeconds(5),
    };

    /// <summary>Replaces the machine, systemd's programs and the timings; logs go to <paramref name="log"/> (or nowhere).</summary>
    public static Action<IServiceCollection> Fakes(FakeSystemd systemd, NodeInventory? machine = null, RecordingLoggerProvider? log = null) => services =>
    {
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            if (log is not null)
            {
                logging.AddProvider(log);
            }
        });
        services.AddSingleton<IMachineInspector>(new FixedMachine(machine ?? Machine));
        services.AddSingleton(systemd.Tools);
        services.AddSingleton(Fast);
    };
}
