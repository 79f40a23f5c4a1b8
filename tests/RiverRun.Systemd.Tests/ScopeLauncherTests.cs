using CliWrap.Buffered;
using RiverRun.Systemd.Processes;

namespace RiverRun.Systemd.Tests;

/// <summary>
/// The launcher against stand-ins for systemd-run, getent and chown. The stand-in systemd-run
/// behaves like the real one in scope mode: it skips its options and execs the command after
/// "--", so the real wrapper runs.
/// </summary>
[Collection(SharedProcessEnvironment.Name)]
public sealed class ScopeLauncherTests : IDisposable
{
    private const string ExecAfterDoubleDash = "while [ $# -gt 0 ] && [ \"$1\" != -- ]; do shift; done; shift; exec \"$@\"";

    private readonly TempDirectory _temp = new();
    private readonly string _getent;
    private readonly string _chown;

    public ScopeLauncherTests()
    {
        _getent = _temp.WriteScript("getent", $$"""
            case "$1 $3" in
              "passwd alice") echo 'alice:x:1234:1235:Alice:/home/alice:/bin/sh' ;;
              "group lab") echo 'lab:x:2000:alice' ;;
              "passwd self") echo 'self:x:{{ProcessIdentity.UserId}}:{{ProcessIdentity.GroupId}}:The Runner:/:/bin/sh' ;;
              *) exit 2 ;;
            esac
            """);
        _chown = _temp.WriteScript("chown", $"printf '%s\\n' \"$@\" > '{_temp.Combine("chown.args")}'");
    }

    public void Dispose() => _temp.Dispose();

    private ScopeLauncher Launcher(string systemdRunBody) =>
        new(new UserDatabase(_getent), _temp.WriteScript("systemd-run", systemdRunBody), _chown);

    private ScopeRequest Request(string[] argv) => new()
    {
        UnitName = "riverrun-t1",
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["RIVERRUN_TASK_ID"] = "t1" },
        Argv = argv,
        SpoolDirectory = _temp.Combine("spool", "t1"),
    };

    [Fact]
    public async Task A_task_that_runs_ends_with_its_recorded_exit_status()
    {
        var scope = await Launcher(ExecAfterDoubleDash).LaunchAsync(Request(["sh", "-c", "echo hi; exit 4"]));

        var outcome = await scope.WaitForOutcomeAsync();

        var exited = Assert.IsType<TaskExited>(outcome);
        Assert.Equal(4, exited.Record.ExitCode);
        Assert.Equal("riverrun-t1", scope.UnitName);
        Assert.Equal("hi\n", File.ReadAllText(scope.Spool.StandardOutputPath));
    }

    [Fact]
    public async Task When_systemd_run_refuses_the_outcome_is_a_launch_failure_with_its_trimmed_stderr()
    {
        var launcher = Launcher("echo 'Failed to start transient scope unit: Unit riverrun-t1.scope already exists.' >&2; exit 1");
        var scope = await launcher.LaunchAsync(Request(["true"]));

        var outcome = await scope.WaitForOutcomeAsync();

        var failed = Assert.IsType<LaunchFailed>(outcome);
        Assert.Equal("Failed to start transient scope unit: Unit riverrun-t1.scope already exists.", failed.Message);
    }

    [Fact]
    public async Task A_task_that_exits_1_is_not_mistaken_for_a_systemd_run_failure()
    {
        var scope = await Launcher(ExecAfterDoubleDash).LaunchAsync(Request(["false"]));

        var outcome = await scope.WaitForOutcomeAsync();

        Assert.Equal(1, Assert.IsType<TaskExited>(outcome).Record.ExitCode);
    }

    [Fact]
    public async Task The_task_gets_the_requests_environment_and_nothing_of_the_runners()
    {
        Environment.SetEnvironmentVariable("RIVERRUN_TOKEN", "runner-secret");
        var scope = await Launcher(ExecAfterDoubleDash).LaunchAsync(Request(["env"]));

        await scope.WaitForOutcomeAsync();

        var lines = File.ReadAllLines(scope.Spool.StandardOutputPath).Where(l => !l.StartsWith("PWD=", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(["PATH=/usr/bin:/bin", "RIVERRUN_TASK_ID=t1"], lines);
    }

    [Fact]
    public async Task A_task_without_a_working_directory_starts_in_the_root_directory()
    {
        var scope = await Launcher(ExecAfterDoubleDash).LaunchAsync(Request(["pwd"]));

        await scope.WaitForOutcomeAsync();

        Assert.Equal("/\n", File.ReadAllText(scope.Spool.StandardOutputPath));
    }

    [Fact]
    public async Task A_missing_working_directory_is_a_launch_failure()
    {
        var scope = await Launcher(ExecAfterDoubleDash).LaunchAsync(Request(["true"]) with { WorkingDirectory = "/nonexistent/dir" });

        var outcome = await scope.WaitForOutcomeAsync();

        Assert.Equal(TaskWrapperScript.WorkingDirectoryError, Assert.IsType<LaunchFailed>(outcome).Message);
    }

    [Fact]
    public async Task The_spool_directory_is_created_readable_by_its_owner_only()
    {
        var scope = await Launcher(ExecAfterDoubleDash).LaunchAsync(Request(["true"]));
        await scope.WaitForOutcomeAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(scope.SpoolDirectory));
    }

    [Fact]
    public async Task A_spool_directory_left_from_an_earlier_attempt_is_refused()
    {
        var request = Request(["true"]);
        Directory.CreateDirectory(request.SpoolDirectory);
        await File.WriteAllTextAsync(Path.Combine(request.SpoolDirectory, SpoolFiles.Started), "1\n");

        var exception = await Assert.ThrowsAsync<ScopeLaunchException>(() => Launcher(ExecAfterDoubleDash).LaunchAsync(request));

        Assert.Contains("not empty", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_spool_directory_is_given_to_the_tasks_user_and_group()
    {
        var scope = await Launcher(ExecAfterDoubleDash).LaunchAsync(Request(["true"]) with { User = "alice", Group = "lab" });
        await scope.WaitForOutcomeAsync();

        Assert.Equal(["--", "1234:2000", scope.SpoolDirectory], await File.ReadAllLinesAsync(_temp.Combine("chown.args")));
    }

    [Fact]
    public async Task Without_a_group_the_spool_directory_gets_the_users_primary_group()
    {
        var scope = await Launcher(ExecAfterDoubleDash).LaunchAsync(Request(["true"]) with { User = "alice" });
        await scope.WaitForOutcomeAsync();

        Assert.Equal("1234:1235", (await File.ReadAllLinesAsync(_temp.Combine("chown.args")))[1]);
    }

    [Fact]
    public async Task A_task_of_the_runners_own_user_and_group_needs_no_chown()
    {
        var scope = await Launcher(ExecAfterDoubleDash).LaunchAsync(Request(["true"]) with { User = "self" });
        await scope.WaitForOutcomeAsync();

        Assert.False(File.Exists(_temp.Combine("chown.args")));
        Assert.True(Directory.Exists(scope.SpoolDirectory));
    }

    [Fact]
    public async Task An_unknown_user_is_refused_before_systemd_run_is_started()
    {
        var exception = await Assert.ThrowsAsync<ScopeLaunchException>(() =>
            Launcher("touch ran").LaunchAsync(Request(["true"]) with { User = "mallory" }));

        Assert.Contains("mallory", exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Combine("ran")));
    }

    [Fact]
    public async Task A_missing_systemd_run_is_a_launch_exception_naming_it()
    {
        var launcher = new ScopeLauncher(new UserDatabase(_getent), _temp.Combine("no-systemd-run"), _chown);

        var exception = await Assert.ThrowsAsync<ScopeLaunchException>(() => launcher.LaunchAsync(Request(["true"])));

        Assert.Contains("no-systemd-run", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_launch_token_and_the_wait_for_a_launched_scope_leaves_the_task_running()
    {
        // The stand-in systemd-run execs the wrapper, as the real one does with --scope: the
        // process the launcher started is the task's, so a Runner that stops (both tokens are
        // its "stopping") must stop waiting without killing it.
        var stop = _temp.Combine("stop");
        using var stopping = new CancellationTokenSource();
        var scope = await Launcher(ExecAfterDoubleDash).LaunchAsync(Request(["sh", "-c", $"echo ready; while [ ! -e '{stop}' ]; do sleep 0.05; done; exit 5"]), stopping.Token);
        await Wait.UntilAsync(() => File.Exists(scope.Spool.StandardOutputPath) && File.ReadAllText(scope.Spool.StandardOutputPath) == "ready\n", TimeSpan.FromSeconds(10), "the task to start");
        var waiting = scope.WaitForOutcomeAsync(stopping.Token);

        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Null(scope.Spool.TryReadExitRecord());
        await File.WriteAllTextAsync(stop, "");
        var outcome = await scope.WaitForOutcomeAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(5, Assert.IsType<TaskExited>(outcome).Record.ExitCode);
    }

    [Fact]
    public async Task A_wrapper_killed_before_recording_ends_without_a_record_and_reports_the_signal_status()
    {
        var scope = await Launcher(ExecAfterDoubleDash).LaunchAsync(Request(["sleep", "5"]));
        await Wait.UntilAsync(() => scope.Spool.HasStarted, TimeSpan.FromSeconds(10), "the wrapper to start");

        await Commands.Wrap("kill").WithArguments(["-KILL", scope.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExecuteBufferedAsync();
        var outcome = await scope.WaitForOutcomeAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(137, Assert.IsType<EndedWithoutRecord>(outcome).WrapperExitCode);
    }
}
