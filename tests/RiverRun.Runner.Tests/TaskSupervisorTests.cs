using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using RiverRun.Contracts.V1;
using RiverRun.Runner.Tasks;
using RiverRun.Systemd;

namespace RiverRun.Runner.Tests;

/// <summary>
/// The supervisor with the real wrapper and launcher, against stand-ins for systemd-run and
/// systemctl (see <see cref="FakeSystemd"/>): the whole policy path from StartTask to final state.
/// </summary>
public sealed class TaskSupervisorTests : IDisposable
{
    private static readonly RunnerTuning Fast = new()
    {
        AdoptedLivenessInterval = TimeSpan.FromMilliseconds(20),
        DefaultKillGrace = TimeSpan.FromSeconds(5),
    };

    private readonly TempDirectory _temp = new();
    private readonly CancellationTokenSource _stopping = new();

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _temp.Dispose();
    }

    private TaskPaths Paths => new(_temp.Combine("tasks"), _temp.Combine("spool"));

    private static TaskSupervisor Supervisor(FakeSystemd systemd, RunnerTuning? tuning = null) => new(
        new ScopeMechanism(systemd.Tools, null, TimeProvider.System, (tuning ?? Fast).AdoptedLivenessInterval, NullLogger<ScopeMechanism>.Instance),
        new LaunchContext("node1", "riverrun-node1.slice", ExpandEnvironmentOption: false, []),
        tuning ?? Fast,
        TimeProvider.System,
        NullLogger<TaskSupervisor>.Instance);

    private TaskRun NewTask(string id, string[] argv, Action<Contracts.V1.TaskSpec>? configure = null)
    {
        var spec = new Contracts.V1.TaskSpec { Argv = { argv } };
        configure?.Invoke(spec);
        var start = new StartTask { TaskId = id, Spec = spec };
        Directory.CreateDirectory(_temp.Combine("tasks"));
        return new TaskRun(start, TaskDirectory.Create(Paths, start));
    }

    [Fact]
    public async Task A_task_runs_in_its_scope_with_the_requested_limits_and_succeeds_with_its_output_spooled()
    {
        var systemd = new FakeSystemd(_temp);
        var run = NewTask("task00000001", ["sh", "-c", "echo hello; echo err >&2"], spec =>
            spec.Resources = new Contracts.V1.Resources { Cores = 0.5, MemoryBytes = 64 << 20 });

        await Supervisor(systemd).RunNewAsync(run, _stopping.Token);

        Assert.Equal(TaskState.Succeeded, run.Result!.State);
        Assert.Equal(0, run.Result.Exit.ExitCode);
        Assert.NotNull(run.StartedAt);
        Assert.Equal("hello\n", File.ReadAllText(run.Directory.Spool.StandardOutputPath));
        Assert.Equal("err\n", File.ReadAllText(run.Directory.Spool.StandardErrorPath));
        var args = systemd.ArgumentsOf("riverrun-task00000001");
        Assert.Contains("--slice=riverrun-node1.slice", args);
        Assert.Contains("CPUQuota=50%", args);
        Assert.Contains("MemoryMax=67108864", args);
    }

    [Fact]
    public async Task A_task_whose_scope_is_empty_when_it_exits_ends_without_a_systemctl_call_and_its_unit_is_stopped_after()
    {
        var systemd = new FakeSystemd(_temp);
        // A cgroup tree as systemd lays it out on v1: the Runner's slice, the scope's cgroup with
        // no process left, and its OOM count.
        var root = _temp.Combine("cgroup");
        var scope = Path.Combine("riverrun.slice", "riverrun-node1.slice", "riverrun-task00000009.scope");
        Directory.CreateDirectory(Path.Combine(root, "systemd", scope));
        File.WriteAllText(Path.Combine(root, "systemd", scope, "cgroup.procs"), string.Empty);
        Directory.CreateDirectory(Path.Combine(root, "memory", scope));
        File.WriteAllText(Path.Combine(root, "memory", scope, "memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        using var mechanism = new ScopeMechanism(systemd.Tools, new CgroupLayout(CgroupVersion.Legacy, root), TimeProvider.System, Fast.AdoptedLivenessInterval, NullLogger<ScopeMechanism>.Instance);
        var supervisor = new TaskSupervisor(mechanism, new LaunchContext("node1", "riverrun-node1.slice", ExpandEnvironmentOption: false, []), Fast, TimeProvider.System, NullLogger<TaskSupervisor>.Instance);
        var run = NewTask("task00000009", ["true"]);

        await supervisor.RunNewAsync(run, _stopping.Token);

        Assert.Equal(TaskState.Succeeded, run.Result!.State);
        // The stop comes after the end, in the background, and is the only systemctl call: no
        // "show" to find the cgroup or ask whether the scope is alive.
        var calls = await Eventually.ValueAsync(() => File.Exists(_temp.Combine("calls")) ? File.ReadAllLines(_temp.Combine("calls")) : null);
        Assert.Equal(["stop|--|riverrun-task00000009.scope|"], calls);
    }

    [Fact]
    public async Task The_task_sees_only_its_explicit_environment()
    {
        Environment.SetEnvironmentVariable("RIVERRUN_TOKEN", "runner-secret");
        var run = NewTask("task00000002", ["env"], spec => spec.Env["GREETING"] = "hi there");

        await Supervisor(new FakeSystemd(_temp)).RunNewAsync(run, _stopping.Token);

        var environment = File.ReadAllLines(run.Directory.Spool.StandardOutputPath);
        Assert.Contains("GREETING=hi there", environment);
        Assert.Contains("RIVERRUN_TASK_ID=task00000002", environment);
        Assert.Contains("RIVERRUN_NODE=node1", environment);
        Assert.DoesNotContain(environment, line => line.StartsWith("RIVERRUN_TOKEN=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_code_and_is_not_mistaken_for_a_launch_failure()
    {
        var run = NewTask("task00000003", ["sh", "-c", "exit 3"]);

        await Supervisor(new FakeSystemd(_temp)).RunNewAsync(run, _stopping.Token);

        Assert.Equal(TaskState.Failed, run.Result!.State);
        Assert.Equal(3, run.Result.Exit.ExitCode);
    }

    [Fact]
    public async Task A_refusal_of_systemd_run_ends_LAUNCH_FAILED_with_its_message()
    {
        var systemd = new FakeSystemd(_temp, "echo 'Failed to start transient scope unit: Unit riverrun-task00000004.scope already exists.' >&2; exit 1");
        var run = NewTask("task00000004", ["true"]);

        await Supervisor(systemd).RunNewAsync(run, _stopping.Token);

        Assert.Equal(TaskState.LaunchFailed, run.Result!.State);
        Assert.Equal("Failed to start transient scope unit: Unit riverrun-task00000004.scope already exists.", run.Result.Reason);
        Assert.Null(run.StartedAt);
    }

    [Fact]
    public async Task An_unknown_user_ends_LAUNCH_FAILED_naming_the_user()
    {
        var run = NewTask("task00000005", ["true"], spec => spec.User = "nobody-here");

        await Supervisor(new FakeSystemd(_temp)).RunNewAsync(run, _stopping.Token);

        Assert.Equal(TaskState.LaunchFailed, run.Result!.State);
        Assert.Contains("nobody-here", run.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kill_ends_the_whole_scope_with_KILLED_including_background_children()
    {
        var systemd = new FakeSystemd(_temp);
        var supervisor = Supervisor(systemd);
        var run = NewTask("task00000006", ["sh", "-c", "sleep 300 & sleep 300"]);
        var supervising = supervisor.RunNewAsync(run, _stopping.Token);
        await Eventually.ValueAsync(() => run.StartedAt is null ? null : (object)run);

        var error = await supervisor.KillAsync(run, StopReason.Killed, TimeSpan.FromSeconds(5), _stopping.Token);
        await supervising;

        Assert.Null(error);
        Assert.Equal(TaskState.Killed, run.Result!.State);
        Assert.False(systemd.IsAlive("riverrun-task00000006"));
    }

    [Fact]
    public async Task A_task_past_its_timeout_is_stopped_and_ends_TIMED_OUT()
    {
        var run = NewTask("task00000007", ["sleep", "300"], spec => spec.Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300)));

        await Supervisor(new FakeSystemd(_temp)).RunNewAsync(run, _stopping.Token);

        Assert.Equal(TaskState.TimedOut, run.Result!.State);
        Assert.Equal(15, run.Result.Exit.Signal);
    }

    [Fact]
    public async Task Background_processes_left_by_a_finished_task_are_stopped_with_its_scope()
    {
        var systemd = new FakeSystemd(_temp);
        var run = NewTask("task00000008", ["sh", "-c", "sleep 300 >/dev/null 2>&1 & echo done"]);

        await Supervisor(systemd).RunNewAsync(run, _stopping.Token);

        Assert.Equal(TaskState.Succeeded, run.Result!.State);
        Assert.False(systemd.IsAlive("riverrun-task00000008"));
    }

    [Fact]
    public async Task Pausing_and_resuming_signal_the_whole_scope_on_cgroup_v1()
    {
        var systemd = new FakeSystemd(_temp);
        var supervisor = Supervisor(systemd);
        var run = NewTask("task00000009", ["sleep", "300"]);
        var supervising = supervisor.RunNewAsync(run, _stopping.Token);
        await Eventually.ValueAsync(() => run.StartedAt is null ? null : (object)run);

        var paused = await supervisor.PauseAsync(run, _stopping.Token);
        var wasPaused = run.IsPaused;
        var resumed = await supervisor.ResumeAsync(run, _stopping.Token);
        await supervisor.KillAsync(run, StopReason.Killed, TimeSpan.FromSeconds(5), _stopping.Token);
        await supervising;

        Assert.Null(paused);
        Assert.True(wasPaused);
        Assert.Null(resumed);
        var calls = File.ReadAllText(_temp.Combine("calls"));
        Assert.Contains("kill|--kill-whom=all|--signal=SIGSTOP|--|riverrun-task00000009.scope|", calls, StringComparison.Ordinal);
        Assert.Contains("kill|--kill-whom=all|--signal=SIGCONT|--|riverrun-task00000009.scope|", calls, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarted_Runner_reports_a_task_that_ended_while_it_was_away_from_the_exit_record()
    {
        var systemd = new FakeSystemd(_temp);
        var run = NewTask("task0000000a", ["true"]);
        Directory.CreateDirectory(run.Directory.Spool.Directory);
        File.WriteAllText(Path.Combine(run.Directory.Spool.Directory, SpoolFiles.Started), "1\n");
        File.WriteAllText(Path.Combine(run.Directory.Spool.Directory, SpoolFiles.StandardOutput), "partial\n");
        File.WriteAllText(Path.Combine(run.Directory.Spool.Directory, SpoolFiles.Exit), "status=7\noom_kill=0\n");
        await using var registry = new TaskRegistry(Paths, Supervisor(systemd), Fast, TimeProvider.System, NullLogger<TaskRegistry>.Instance);

        await registry.RecoverAsync(_stopping.Token);

        var held = Assert.Single(registry.HeldTasks);
        Assert.Equal(("task0000000a", false, "riverrun-task0000000a.scope"), (held.TaskId, held.Running, held.Unit));
        var recovered = registry.Find("task0000000a")!;
        Assert.Equal(TaskState.Failed, recovered.Result!.State);
        Assert.Equal(7, recovered.Result.Exit.ExitCode);
        Assert.NotNull(recovered.StartedAt);
    }

    [Fact]
    public async Task An_adopted_task_still_running_ends_as_its_wrapper_puts_the_exit_record_in_place_without_a_liveness_check()
    {
        var systemd = new FakeSystemd(_temp);
        var run = NewTask("task0000000d", ["sleep", "300"]);
        Directory.CreateDirectory(run.Directory.Spool.Directory);
        File.WriteAllText(Path.Combine(run.Directory.Spool.Directory, SpoolFiles.Started), "1\n");
        // The scope a Runner before this one started: a process group the stand-in systemctl reports alive.
        using var scope = System.Diagnostics.Process.Start("setsid", ["sleep", "300"]);
        File.WriteAllText(_temp.Combine("units", "riverrun-task0000000d.pid"), scope.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // An hour between liveness checks: only the exit record's arrival can end the task in time.
        var supervising = Supervisor(systemd, Fast with { AdoptedLivenessInterval = TimeSpan.FromHours(1) }).RunAdoptedAsync(run, alive: true, _stopping.Token);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var stillRunning = run.IsRunning;

        var written = System.Diagnostics.Stopwatch.StartNew();
        File.WriteAllText(Path.Combine(run.Directory.Spool.Directory, SpoolFiles.Exit), "status=3\noom_kill=0\nend=1\n");
        await supervising.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(stillRunning);
        Assert.True(written.Elapsed < TimeSpan.FromSeconds(5), $"the end was noticed after {written.Elapsed}");
        Assert.Equal((TaskState.Failed, 3), (run.Result!.State, run.Result.Exit.ExitCode));
        // Its scope is stopped once ended, as for a task this Runner launched.
        Assert.True(scope.WaitForExit(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_re_adopted_task_times_out_from_the_runners_start_record_though_its_user_moved_the_marker_into_the_future()
    {
        var systemd = new FakeSystemd(_temp);
        var run = NewTask("task0000000e", ["sleep", "300"], spec => spec.Timeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)));
        Directory.CreateDirectory(run.Directory.Spool.Directory);
        var marker = Path.Combine(run.Directory.Spool.Directory, SpoolFiles.Started);
        File.WriteAllText(marker, "1\n");
        File.SetLastWriteTimeUtc(marker, new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        // The Runner before this one saw it start two minutes ago: its minute is long over.
        run.Directory.WriteStartedAt(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2));
        var adopted = new TaskRun(run.Start, run.Directory);
        using var scope = System.Diagnostics.Process.Start("setsid", ["sleep", "300"]);
        File.WriteAllText(_temp.Combine("units", "riverrun-task0000000e.pid"), scope.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        await Supervisor(systemd).RunAdoptedAsync(adopted, alive: true, _stopping.Token).WaitAsync(TimeSpan.FromSeconds(40));

        Assert.Equal(TaskState.TimedOut, adopted.Result!.State);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), $"timed out after {elapsed.Elapsed}, as if the minute had started at adoption");
        Assert.True(scope.WaitForExit(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_launched_task_records_its_start_by_the_runners_clock_in_the_runners_own_directory()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var run = NewTask("task0000000f", ["true"]);

        await Supervisor(new FakeSystemd(_temp)).RunNewAsync(run, _stopping.Token);

        var recorded = new TaskRun(run.Start, run.Directory).StartedAt;
        Assert.True(File.Exists(Path.Combine(run.Directory.Path, TaskDirectory.StartedAtFile)));
        Assert.NotNull(recorded);
        Assert.InRange(recorded.Value, before, DateTimeOffset.UtcNow);
        Assert.Equal(run.StartedAt!.Value.ToUnixTimeMilliseconds(), recorded.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Recovery_deletes_a_spool_whose_task_directory_is_gone_and_keeps_the_spools_of_held_tasks()
    {
        var held = NewTask("task00000010", ["true"]);
        Directory.CreateDirectory(held.Directory.Spool.Directory);
        File.WriteAllText(Path.Combine(held.Directory.Spool.Directory, SpoolFiles.Exit), "status=0\n");
        var orphan = Path.Combine(Paths.SpoolsRoot, "task00000011");
        Directory.CreateDirectory(orphan);
        File.WriteAllText(Path.Combine(orphan, SpoolFiles.StandardOutput), "left behind");
        var foreign = Path.Combine(Paths.SpoolsRoot, "not-a-task");
        Directory.CreateDirectory(foreign);
        await using var registry = new TaskRegistry(Paths, Supervisor(new FakeSystemd(_temp)), Fast, TimeProvider.System, NullLogger<TaskRegistry>.Instance);

        await registry.RecoverAsync(_stopping.Token);

        Assert.False(Directory.Exists(orphan));
        Assert.True(Directory.Exists(held.Directory.Spool.Directory));
        Assert.True(Directory.Exists(foreign));
    }

    [Fact]
    public async Task Forgetting_a_task_deletes_its_directory()
    {
        var systemd = new FakeSystemd(_temp);
        await using var registry = new TaskRegistry(Paths, Supervisor(systemd), Fast, TimeProvider.System, NullLogger<TaskRegistry>.Instance);
        var (run, isNew) = registry.Start(new StartTask { TaskId = "task0000000b", Spec = new Contracts.V1.TaskSpec { Argv = { "true" } } });
        await run.Supervision;

        await registry.ForgetAsync("task0000000b", _stopping.Token);

        Assert.True(isNew);
        Assert.Empty(registry.HeldTasks);
        Assert.False(Directory.Exists(run.Directory.Path));
    }

    [Fact]
    public async Task A_repeated_StartTask_returns_the_task_already_held_instead_of_running_it_twice()
    {
        await using var registry = new TaskRegistry(Paths, Supervisor(new FakeSystemd(_temp)), Fast, TimeProvider.System, NullLogger<TaskRegistry>.Instance);
        var start = new StartTask { TaskId = "task0000000c", Spec = new Contracts.V1.TaskSpec { Argv = { "true" } } };

        var first = registry.Start(start);
        var second = registry.Start(start);
        await first.Run.Supervision;

        Assert.Same(first.Run, second.Run);
        Assert.False(second.IsNew);
        Assert.Throws<ArgumentException>(() => registry.Start(new StartTask { TaskId = "../etc" }));
    }
}
