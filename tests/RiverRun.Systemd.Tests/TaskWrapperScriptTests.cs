using CliWrap;
using CliWrap.Buffered;

namespace RiverRun.Systemd.Tests;

/// <summary>The wrapper run for real by /bin/sh, exactly as systemd-run would exec it (no systemd needed).</summary>
[Collection(SharedProcessEnvironment.Name)]
public sealed class TaskWrapperScriptTests : IDisposable
{
    private static readonly Dictionary<string, string> BaseEnvironment = new() { ["PATH"] = "/usr/bin:/bin" };

    private readonly TempDirectory _temp = new();

    private string Spool => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private Command Wrapper(string[] argv, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, string? spool = null, bool resetSignals = true) =>
        Commands.Wrap("/bin/sh")
            .WithArguments(TaskWrapperScript.Invocation(spool ?? Spool, workingDirectory, argv, resetSignals).Skip(1))
            .WithExactEnvironment(environment ?? BaseEnvironment)
            .WithWorkingDirectory("/");

    private string ReadSpool(string name) => File.ReadAllText(Path.Combine(Spool, name));

    private WrapperExitRecord ReadRecord() => WrapperExitRecord.Parse(ReadSpool(SpoolFiles.Exit));

    [Fact]
    public void The_invocation_is_sh_dash_c_the_script_then_argument_zero_spool_and_workdir()
    {
        var invocation = TaskWrapperScript.Invocation("/spool/x", null, ["ls", "-l"]);

        Assert.Equal(["/bin/sh", "-c", TaskWrapperScript.Text, "riverrun-wrapper", "/spool/x", "", "ls", "-l"], invocation);
    }

    [Fact]
    public async Task Output_goes_to_the_spool_files_and_the_exit_status_is_recorded_and_returned()
    {
        var result = await Wrapper(["sh", "-c", "echo out; echo err >&2; exit 3"]).ExecuteBufferedAsync();

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", ReadSpool(SpoolFiles.StandardOutput));
        Assert.Equal("err\n", ReadSpool(SpoolFiles.StandardError));
        Assert.Equal(3, ReadRecord().ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task The_started_marker_holds_the_wrappers_pid()
    {
        var execution = Wrapper(["true"]).ExecuteBufferedAsync();
        await execution;

        Assert.Equal($"{execution.ProcessId}\n", ReadSpool(SpoolFiles.Started));
    }

    [Fact]
    public async Task The_exit_record_ends_with_its_end_line_so_a_reader_can_tell_it_is_whole()
    {
        await Wrapper(["true"]).ExecuteBufferedAsync();

        var text = ReadSpool(SpoolFiles.Exit);
        Assert.StartsWith("status=0\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n" + WrapperExitRecord.EndLine + "\n", text, StringComparison.Ordinal);
        Assert.True(ReadRecord().IsComplete);
        Assert.Equal(["exit", "started", "stderr", "stdout", "wrapper.log"], Directory.GetFileSystemEntries(Spool).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_task_killed_by_a_signal_is_recorded_as_that_signal()
    {
        var result = await Wrapper(["sh", "-c", "kill -TERM $$"]).ExecuteBufferedAsync();

        var record = ReadRecord();
        Assert.Equal(143, record.RawStatus);
        Assert.Equal(15, record.Signal);
        Assert.Null(record.ExitCode);
        Assert.Equal(143, result.ExitCode);
    }

    [Fact]
    public async Task Argv_with_spaces_dollar_signs_and_quotes_reaches_the_program_unchanged()
    {
        string[] words = ["$HOME", "${PATH}", "two  words", "it's \"quoted\"", "`id`", "$(id)", "a\\nb", "*", "-n", ""];

        await Wrapper(["printf", "%s\\n", .. words]).ExecuteBufferedAsync();

        Assert.Equal(string.Concat(words.Select(w => w + "\n")), ReadSpool(SpoolFiles.StandardOutput));
    }

    [Fact]
    public async Task The_wrapper_survives_sigterm_to_its_whole_process_group_and_records_the_tasks_status()
    {
        // setsid: the wrapper gets a process group of its own (pgid = its pid), so the signal
        // to the group cannot reach the test host. The task exits 7 on SIGTERM.
        var command = Commands.Wrap("setsid")
            .WithArguments(TaskWrapperScript.Invocation(Spool, null, ["sh", "-c", "trap 'exit 7' TERM; echo ready; while :; do sleep 0.05; done"]))
            .WithExactEnvironment(BaseEnvironment);
        var running = command.ExecuteBufferedAsync();
        await Wait.UntilAsync(() => File.Exists(Path.Combine(Spool, SpoolFiles.StandardOutput)) && ReadSpool(SpoolFiles.StandardOutput) == "ready\n", TimeSpan.FromSeconds(10), "the task to start");

        var kill = await Commands.Wrap("kill").WithArguments(["-TERM", "--", $"-{running.ProcessId}"]).ExecuteBufferedAsync();
        var result = await running.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, kill.ExitCode);
        Assert.Equal(7, ReadRecord().ExitCode);
        Assert.Equal(7, result.ExitCode);
    }

    [Fact]
    public async Task A_task_killed_by_sigterm_to_the_process_group_is_recorded_as_signal_15()
    {
        var command = Commands.Wrap("setsid")
            .WithArguments(TaskWrapperScript.Invocation(Spool, null, ["sh", "-c", "echo ready; exec sleep 30"]))
            .WithExactEnvironment(BaseEnvironment);
        var running = command.ExecuteBufferedAsync();
        await Wait.UntilAsync(() => File.Exists(Path.Combine(Spool, SpoolFiles.StandardOutput)) && ReadSpool(SpoolFiles.StandardOutput) == "ready\n", TimeSpan.FromSeconds(10), "the task to start");

        await Commands.Wrap("kill").WithArguments(["-TERM", "--", $"-{running.ProcessId}"]).ExecuteBufferedAsync();
        await running.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(15, ReadRecord().Signal);
    }

    [Fact]
    public async Task The_task_starts_in_the_given_working_directory()
    {
        await Wrapper(["pwd"], workingDirectory: "/usr").ExecuteBufferedAsync();

        Assert.Equal("/usr\n", ReadSpool(SpoolFiles.StandardOutput));
    }

    [Fact]
    public async Task A_missing_working_directory_is_recorded_as_an_error_and_the_task_does_not_run()
    {
        var result = await Wrapper(["touch", _temp.Combine("ran")], workingDirectory: "/nonexistent/riverrun").ExecuteBufferedAsync();

        var record = ReadRecord();
        Assert.Equal(TaskWrapperScript.WorkingDirectoryError, record.Error);
        Assert.Null(record.RawStatus);
        Assert.Equal(TaskWrapperScript.WorkingDirectoryStatus, result.ExitCode);
        Assert.False(File.Exists(_temp.Combine("ran")));
        Assert.Contains("/nonexistent/riverrun", ReadSpool(SpoolFiles.WrapperLog), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unwritable_spool_fails_before_the_marker_with_a_message_on_stderr()
    {
        var result = await Wrapper(["true"], spool: "/nonexistent/riverrun-spool").ExecuteBufferedAsync();

        Assert.Equal(TaskWrapperScript.SpoolUnwritableStatus, result.ExitCode);
        Assert.Contains("cannot write to the spool directory /nonexistent/riverrun-spool", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exit")]
    [InlineData("exec")]
    [InlineData("trap")]
    public async Task A_shell_builtin_as_argv0_cannot_end_the_wrapper_before_it_records(string builtin)
    {
        await Wrapper([builtin, "0"]).ExecuteBufferedAsync();

        Assert.Equal(127, ReadRecord().ExitCode);
        Assert.Contains($"'{builtin}'", ReadSpool(SpoolFiles.StandardError), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_recorded_as_status_127_with_the_reason_in_its_stderr()
    {
        await Wrapper(["riverrun-no-such-program"]).ExecuteBufferedAsync();

        Assert.Equal(127, ReadRecord().ExitCode);
        Assert.Contains("riverrun-no-such-program", ReadSpool(SpoolFiles.StandardError), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_task_sees_exactly_the_given_environment_even_variables_named_like_the_wrappers()
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["rr_status"] = "mine",
            ["rr_line"] = "mine too",
            ["RIVERRUN_TASK_ID"] = "t1",
        };

        await Wrapper(["env"], environment: environment).ExecuteBufferedAsync();

        var seen = ReadSpool(SpoolFiles.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("PWD=", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        Assert.Equal(environment.Select(kv => $"{kv.Key}={kv.Value}").Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task The_task_gets_sigpipe_back_at_its_default_although_the_dotnet_parent_ignores_it()
    {
        await Wrapper(["sh", "-c", "grep SigIgn /proc/self/status; yes | head -n 1"]).ExecuteBufferedAsync();

        Assert.Equal("SigIgn:\t0000000000000000\ny\n", ReadSpool(SpoolFiles.StandardOutput));
        Assert.Equal(string.Empty, ReadSpool(SpoolFiles.StandardError));
    }

    [Fact]
    public async Task Signals_the_runner_was_started_ignoring_like_sighup_under_nohup_are_at_their_default_in_the_task()
    {
        // The wrapper's parent ignores HUP and INT, as a Runner started with nohup (or from a
        // script that trapped them) would; sh keeps signals ignored on entry ignored.
        var invocation = TaskWrapperScript.Invocation(Spool, null, ["grep", "SigIgn", "/proc/self/status"]);
        await Commands.Wrap("/bin/sh")
            .WithArguments(["-c", "trap '' HUP INT PIPE; exec \"$@\"", "sh", .. invocation])
            .WithExactEnvironment(BaseEnvironment)
            .ExecuteBufferedAsync();

        Assert.Equal("SigIgn:\t0000000000000000\n", ReadSpool(SpoolFiles.StandardOutput));
    }

    [Fact]
    public void Whether_env_can_reset_signals_is_not_asked_by_every_wrapper()
    {
        // Asked once per Runner (ScopeLauncher): a probe in the script was a process per task.
        Assert.DoesNotContain("--default-signal true", TaskWrapperScript.Text, StringComparison.Ordinal);
        Assert.Contains("set -- /usr/bin/env --default-signal -- \"$@\"", TaskWrapperScript.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_node_whose_env_lacks_default_signal_the_task_runs_without_it_and_still_records_its_status()
    {
        await Wrapper(["sh", "-c", "echo ran; exit 4"], resetSignals: false).ExecuteBufferedAsync();

        Assert.DoesNotContain("/usr/bin/env", TaskWrapperScript.TextWithoutSignalReset, StringComparison.Ordinal);
        Assert.Equal("ran\n", ReadSpool(SpoolFiles.StandardOutput));
        Assert.Equal(4, ReadRecord().ExitCode);
    }

    [Fact]
    public async Task The_task_reads_end_of_file_from_standard_input()
    {
        var result = await Wrapper(["cat"]).ExecuteBufferedAsync().Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(0, ReadRecord().ExitCode);
    }

    [Fact]
    public async Task The_oom_count_is_read_from_the_wrappers_own_memory_cgroup_file()
    {
        await Wrapper(["true"]).ExecuteBufferedAsync();

        var record = ReadRecord();
        Assert.NotNull(record.OomSource);
        Assert.True(
            record.OomSource.EndsWith("/memory.oom_control", StringComparison.Ordinal) || record.OomSource.EndsWith("/memory.events", StringComparison.Ordinal),
            record.OomSource);
        Assert.Equal(File.Exists(record.OomSource), record.OomKills is not null);
    }

    private Dictionary<string, string> SeenEnvironment() =>
        ReadSpool(SpoolFiles.StandardOutput).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => !entry.StartsWith("PWD=", StringComparison.Ordinal))
            .ToDictionary(entry => entry[..entry.IndexOf('=', StringComparison.Ordinal)], entry => entry[(entry.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);

    [Fact]
    public async Task Root_sensitive_variables_come_back_from_their_carriers_byte_for_byte_and_the_carriers_are_gone()
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["SECRET"] = "xyz",
            ["LD_LIBRARY_PATH"] = "/xyz-secret",
            ["TMPDIR"] = "/tmp/two words 'single' \"double\" $HOME `id` \\ \nsecond line\n",
            ["GLIBC_TUNABLES"] = string.Empty,
        };
        var carried = RootSensitiveEnvironment.Carry(environment);

        await Wrapper(["env", "-0"], environment: carried).ExecuteBufferedAsync();

        Assert.Equal(environment, SeenEnvironment());
    }

    [Fact]
    public async Task A_forged_carrier_list_is_never_executed_and_only_well_formed_names_are_restored()
    {
        var marker = _temp.Combine("pwned");
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            [RootSensitiveEnvironment.CarrierList] = $"LD_A $(touch${{IFS}}{marker}) 9X ;touch LD_B",
            ["RIVERRUN_TASK_ONLY_LD_A"] = "a",
            ["RIVERRUN_TASK_ONLY_LD_B"] = "b",
        };

        await Wrapper(["env", "-0"], environment: environment).ExecuteBufferedAsync();

        Assert.False(File.Exists(marker));
        Assert.Equal(new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["LD_A"] = "a", ["LD_B"] = "b" }, SeenEnvironment());
    }

    [Fact]
    public async Task The_spool_files_are_readable_by_their_owner_only_while_the_task_keeps_the_umask_it_inherited()
    {
        var inherited = await Commands.Wrap("/bin/sh").WithArguments(["-c", "umask"]).WithExactEnvironment(BaseEnvironment).ExecuteBufferedAsync();

        await Wrapper(["sh", "-c", "umask; echo err >&2"]).ExecuteBufferedAsync();

        Assert.Equal(inherited.StandardOutput, ReadSpool(SpoolFiles.StandardOutput));
        foreach (var name in new[] { SpoolFiles.Started, SpoolFiles.StandardOutput, SpoolFiles.StandardError, SpoolFiles.WrapperLog, SpoolFiles.Exit })
        {
            Assert.True(File.GetUnixFileMode(Path.Combine(Spool, name)) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{name}: {File.GetUnixFileMode(Path.Combine(Spool, name))}");
        }
    }
}
