using Microsoft.Extensions.Logging.Abstractions;
using RiverRun.Contracts;
using RiverRun.Contracts.V1;
using RiverRun.Runner.Connection;
using RiverRun.Runner.Inventory;
using RiverRun.Runner.Tasks;
using Kind = RiverRun.Contracts.V1.RunnerMessage.MessageOneofCase;

namespace RiverRun.Runner.Tests;

/// <summary>One session of the Runner against a fake Host: what it keeps per task, and for how long.</summary>
public sealed class HostSessionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task After_many_tasks_end_and_their_spools_are_dropped_the_session_and_the_registry_hold_nothing_of_them()
    {
        const int Tasks = 20;
        await using var host = await FakeHost.StartAsync();
        var systemd = new FakeSystemd(_temp);
        var tuning = TestRunner.Fast;
        var supervisor = new TaskSupervisor(
            new ScopeMechanism(systemd.Tools, null, TimeProvider.System, tuning.AdoptedLivenessInterval, NullLogger<ScopeMechanism>.Instance),
            new LaunchContext("node1", "riverrun-node1.slice", ExpandEnvironmentOption: false, []),
            tuning,
            TimeProvider.System,
            NullLogger<TaskSupervisor>.Instance);
        Directory.CreateDirectory(_temp.Combine("tasks"));
        Directory.CreateDirectory(_temp.Combine("spool"));
        await using var registry = new TaskRegistry(new TaskPaths(_temp.Combine("tasks"), _temp.Combine("spool")), supervisor, tuning, TimeProvider.System, NullLogger<TaskRegistry>.Instance);
        var profile = new RunnerProfile { Name = "node1", HostUrl = host.Address, Cores = 2, MemoryBytes = 1L << 30, StateDirectory = _temp.Path };
        var session = new HostSession(profile, TestRunner.Machine, registry, new UsageSampler(4), tuning, TimeProvider.System, NullLogger.Instance);
        using var channel = HostChannel.Create(host.Address.ToString(), new HostChannelOptions());
        using var call = new Runners.RunnersClient(channel).Connect();
        using var stop = new CancellationTokenSource();
        var running = session.RunAsync(call, () => { }, stop.Token);
        await host.NextAsync(Kind.Register);

        for (var i = 0; i < Tasks; i++)
        {
            host.Send(new HostMessage { CommandId = $"c{i}", Start = new StartTask { TaskId = $"ltask{i:0000000}", Spec = new Contracts.V1.TaskSpec { Argv = { "sh", "-c", $"echo {i}" } } } });
        }

        for (var i = 0; i < Tasks; i++)
        {
            var exited = (await host.NextAsync(Kind.Exited)).Exited;
            host.Send(new HostMessage { DropSpool = new DropSpool { TaskId = exited.TaskId, StdoutLength = exited.StdoutLength, StderrLength = exited.StderrLength } });
        }

        await Eventually.ValueAsync(() => registry.Tasks.Count == 0 && session.ActiveSenders == 0 && session.PendingWork == 0 ? "empty" : null);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Empty(registry.Tasks);
        Assert.Equal(0, session.ActiveSenders);
        Assert.Equal(0, session.PendingWork);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Combine("tasks")));
    }
}
