using RiverRun.Contracts.V1;
using Kind = RiverRun.Contracts.V1.RunnerMessage.MessageOneofCase;

namespace RiverRun.Runner.Tests;

/// <summary>
/// The whole Runner (its host, startup, connection, registry, supervisor, output) against a fake
/// Host on real Kestrel, on a fixed machine with stand-ins for systemd-run and systemctl.
/// </summary>
public sealed class RunnerConnectionTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeSystemd _systemd;

    public RunnerConnectionTests()
    {
        _systemd = new FakeSystemd(_temp);
    }

    public void Dispose() => _temp.Dispose();

    private (Task<int> Running, CancellationTokenSource Stop) StartRunner(Uri host, RecordingLoggerProvider? log = null)
    {
        var options = new RunnerOptions
        {
            HostUrl = host,
            Name = "node1",
            Cores = 2,
            MemoryBytes = 4L << 30,
            StateDirectory = _temp.Combine("state"),
        };
        var stop = new CancellationTokenSource();
        return (RunnerApplication.RunAsync(options, TestRunner.Fakes(_systemd, log: log), stop.Token), stop);
    }

    private static async Task StopRunner((Task<int> Running, CancellationTokenSource Stop) runner)
    {
        await runner.Stop.CancelAsync();
        var exitCode = await runner.Running.WaitAsync(TimeSpan.FromSeconds(20));
        runner.Stop.Dispose();
        Assert.Equal(0, exitCode);
    }

    private static HostMessage StartCommand(string commandId, string taskId, params string[] argv) => new()
    {
        CommandId = commandId,
        Start = new StartTask { TaskId = taskId, Spec = new Contracts.V1.TaskSpec { Argv = { argv } } },
    };

    [Fact]
    public async Task The_Runner_registers_heartbeats_and_registers_again_after_the_Host_restarts()
    {
        var host = await FakeHost.StartAsync();
        var runner = StartRunner(host.Address);

        var register = (await host.NextAsync(Kind.Register)).Register;
        var heartbeat = (await host.NextAsync(Kind.Heartbeat)).Heartbeat;
        var port = host.Address.Port;
        await host.DisposeAsync();
        await using var restarted = await FakeHost.StartAsync(port);
        var again = (await restarted.NextAsync(Kind.Register)).Register;
        var heartbeatAfter = (await restarted.NextAsync(Kind.Heartbeat)).Heartbeat;
        await StopRunner(runner);

        Assert.Equal(("node1", "machine1", 2.0, 4L << 30), (register.Name, register.Hostname, register.Capacity.Cores, register.Capacity.MemoryBytes));
        Assert.Equal((252, 1), (register.SystemdVersion, register.CgroupVersion));
        Assert.Equal("0-3", Assert.Single(register.NumaNodes).Cpus);
        Assert.Empty(register.Gpus);
        Assert.NotEmpty(register.Version);
        Assert.Empty(register.HeldTasks);
        Assert.True(heartbeat.Usage.MemoryUsedBytes > 0);
        Assert.Empty(heartbeat.RunningTaskIds);
        Assert.Equal("node1", again.Name);
        Assert.NotNull(heartbeatAfter.Usage);
    }

    [Fact]
    public async Task A_task_is_acknowledged_started_streamed_and_reported_exited_after_its_output()
    {
        await using var host = await FakeHost.StartAsync();
        var runner = StartRunner(host.Address);
        await host.NextAsync(Kind.Register);

        host.Send(StartCommand("c1", "itask0000001", "sh", "-c", "printf 'hello\\n'; printf 'bad\\n' >&2; exit 2"));
        var ack = (await host.NextAsync(Kind.Ack)).Ack;
        var started = (await host.NextAsync(Kind.Started)).Started;
        var exited = (await host.NextAsync(Kind.Exited)).Exited;
        await StopRunner(runner);

        Assert.Equal(("c1", string.Empty), (ack.CommandId, ack.Error));
        Assert.Equal(("itask0000001", "riverrun-itask0000001.scope"), (started.TaskId, started.Unit));
        Assert.Equal((TaskState.Failed, 2, 6L, 4L), (exited.State, exited.Exit.ExitCode, exited.StdoutLength, exited.StderrLength));
    }

    [Fact]
    public async Task Commands_for_tasks_the_Runner_does_not_hold_are_answered_with_an_error()
    {
        await using var host = await FakeHost.StartAsync();
        var runner = StartRunner(host.Address);
        await host.NextAsync(Kind.Register);

        host.Send(new HostMessage { CommandId = "k1", Kill = new KillTask { TaskId = "nosuchtask01" } });
        var ack = (await host.NextAsync(Kind.Ack)).Ack;
        await StopRunner(runner);

        Assert.Equal("k1", ack.CommandId);
        Assert.Contains("nosuchtask01", ack.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarted_Runner_holds_its_ended_task_resumes_output_at_the_acknowledged_offset_and_deletes_it_when_forgotten()
    {
        await using (var host = await FakeHost.StartAsync())
        {
            var runner = StartRunner(host.Address);
            await host.NextAsync(Kind.Register);
            host.Send(StartCommand("c1", "itask0000002", "sh", "-c", "printf 'hello\\n'"));
            await host.NextAsync(Kind.Exited);
            await StopRunner(runner);
        }

        var resume = new Registered { Resume = { new OutputAck { TaskId = "itask0000002", StdoutOffset = 3 } } };
        await using (var host = await FakeHost.StartAsync(registered: resume))
        {
            var runner = StartRunner(host.Address);
            var register = (await host.NextAsync(Kind.Register)).Register;
            var output = (await host.NextAsync(Kind.Output)).Output;
            var exited = (await host.NextAsync(Kind.Exited)).Exited;
            await StopRunner(runner);

            var held = Assert.Single(register.HeldTasks);
            Assert.Equal(("itask0000002", false), (held.TaskId, held.Running));
            Assert.Equal((3L, "lo\n"), (output.Offset, output.Data.ToStringUtf8()));
            Assert.Equal((TaskState.Succeeded, 6L), (exited.State, exited.StdoutLength));
        }

        var forget = new Registered { ForgetTaskIds = { "itask0000002" } };
        await using (var host = await FakeHost.StartAsync(registered: forget))
        {
            var runner = StartRunner(host.Address);
            await host.NextAsync(Kind.Register);
            var taskDirectory = _temp.Combine("state", "node1", "tasks", "itask0000002");
            await Eventually.ValueAsync(() => Directory.Exists(taskDirectory) ? null : taskDirectory);
            await StopRunner(runner);
        }
    }

    [Fact]
    public async Task Tasks_whose_spools_the_Host_drops_leave_no_directory_and_are_not_held_after_a_reconnect()
    {
        const int Tasks = 6;
        using var log = new RecordingLoggerProvider();
        var host = await FakeHost.StartAsync();
        var runner = StartRunner(host.Address, log);
        await host.NextAsync(Kind.Register);
        var tasksDirectory = _temp.Combine("state", "node1", "tasks");
        for (var i = 0; i < Tasks; i++)
        {
            var id = $"dtask000000{i}";
            host.Send(StartCommand($"c{i}", id, "sh", "-c", $"printf 'task {i}\\n'; printf 'err\\n' >&2"));
            var exited = (await host.NextAsync(Kind.Exited)).Exited;
            Assert.Equal((id, 7L, 4L), (exited.TaskId, exited.StdoutLength, exited.StderrLength));
            host.Send(new HostMessage { DropSpool = new DropSpool { TaskId = id, StdoutLength = exited.StdoutLength, StderrLength = exited.StderrLength } });
            await Eventually.ValueAsync(() => Directory.Exists(Path.Combine(tasksDirectory, id)) ? null : id)
                .WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(t => t.IsFaulted ? throw new TimeoutException(string.Join("\n", log.Messages)) : t.Result);
        }

        var port = host.Address.Port;
        await host.DisposeAsync();
        await using var restarted = await FakeHost.StartAsync(port);
        var register = (await restarted.NextAsync(Kind.Register)).Register;
        await StopRunner(runner);

        Assert.Empty(register.HeldTasks);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tasksDirectory));
    }

    [Fact]
    public async Task A_drop_naming_other_lengths_than_the_spool_holds_keeps_the_spool_and_the_task()
    {
        var host = await FakeHost.StartAsync();
        var runner = StartRunner(host.Address);
        await host.NextAsync(Kind.Register);
        host.Send(StartCommand("c1", "ktask0000001", "sh", "-c", "printf 'twelve bytes'"));
        var exited = (await host.NextAsync(Kind.Exited)).Exited;
        host.Send(new HostMessage { DropSpool = new DropSpool { TaskId = "ktask0000001", StdoutLength = 5, StderrLength = 0 } });
        // A command after the drop: once it is answered, the drop was handled before it.
        host.Send(new HostMessage { CommandId = "p1", Pause = new PauseTask { TaskId = "ktask0000001" } });
        var answer = (await host.NextAsync(Kind.Ack)).Ack;

        var port = host.Address.Port;
        await host.DisposeAsync();
        await using var restarted = await FakeHost.StartAsync(port);
        var register = (await restarted.NextAsync(Kind.Register)).Register;
        await StopRunner(runner);

        Assert.Equal(12, exited.StdoutLength);
        Assert.Equal("p1", answer.CommandId);
        Assert.Equal("ktask0000001", Assert.Single(register.HeldTasks).TaskId);
        Assert.True(Directory.Exists(_temp.Combine("state", "node1", "tasks", "ktask0000001")));
    }
}
