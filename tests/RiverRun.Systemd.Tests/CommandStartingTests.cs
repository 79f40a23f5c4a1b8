using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

namespace RiverRun.Systemd.Tests;

/// <summary>
/// What every program RiverRun starts through CliWrap (<see cref="Commands"/>,
/// <see cref="CommandStarting"/>) can rely on, checked with real processes.
/// </summary>
public class CommandStartingTests
{
    // Prints each argument followed by a NUL, so arguments holding newlines stay distinguishable.
    private static Command PrintArguments(IEnumerable<string> arguments) =>
        Commands.Wrap("/bin/sh").WithArguments(["-c", "for a do printf '%s' \"$a\"; printf '\\000'; done", "sh", .. arguments]);

    private static string[] ArgumentsPrinted(BufferedCommandResult result) =>
        result.StandardOutput.Split('\0')[..^1];

    private static bool IsRunning(int processId)
    {
        // A process that has exited but is not reaped yet still has /proc/PID, in state Z.
        var stat = Path.Combine("/proc", processId.ToString(CultureInfo.InvariantCulture), "stat");
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Arguments_with_spaces_quotes_dollars_backslashes_newlines_and_empty_strings_reach_the_program_exactly()
    {
        string[] tricky =
        [
            "$HOME", "${PATH}", "$(id)", "`id`", "two  words", " leading and trailing ", "it's \"quoted\"", "\"", "'",
            "a\\b", "trailing backslash\\", "backslash before quote\\\"", "\\\\\"", "\\\\", "", "*", "-n", "--",
            "line one\nline two\n", "\ttab", "\r", "ünïcødé ✓", "a=b",
        ];

        var result = await PrintArguments(tricky).StartBuffered(CancellationToken.None);

        Assert.Equal(tricky, ArgumentsPrinted(result));
    }

    [Fact]
    public async Task The_multi_line_wrapper_script_reaches_sh_as_one_argument_unchanged()
    {
        var invocation = TaskWrapperScript.Invocation("/spool/t1", "/work dir", ["printf", "%s\\n", "$HOME", ""]);

        var result = await PrintArguments(invocation).StartBuffered(CancellationToken.None);

        Assert.Equal(invocation, ArgumentsPrinted(result));
        Assert.Contains('\n', TaskWrapperScript.Text);
    }

    [Fact]
    public void An_argument_with_nul_is_refused_rather_than_cut_short()
    {
        var command = Commands.Wrap("/usr/bin/getent").WithArguments(["passwd", "--", "alice\0root"]);

        var exception = Assert.Throws<ArgumentException>(() => { _ = command.StartBuffered(CancellationToken.None); });

        Assert.Contains("/usr/bin/getent", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_zero_exit_is_a_result_with_exit_code_stdout_and_stderr_not_an_exception()
    {
        var result = await Commands.Wrap("/bin/sh").WithArguments(["-c", "echo out; echo err >&2; exit 3"]).StartBuffered(CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.IsSuccess);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
    }

    [Fact]
    public async Task A_program_killed_by_a_signal_reports_128_plus_the_signal()
    {
        var result = await Commands.Wrap("/bin/sh").WithArguments(["-c", "kill -KILL $$"]).StartBuffered(CancellationToken.None);

        Assert.Equal(137, result.ExitCode);
    }

    [Fact]
    public async Task Output_is_decoded_as_utf8_whatever_the_locale()
    {
        // getent prints GECOS fields, which often hold names with accents.
        var result = await Commands.Wrap("/bin/sh").WithArguments(["-c", "printf 'Zoë Ünal\\n'"])
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["LANG"] = "C", ["LC_ALL"] = "C" })
            .StartBuffered(CancellationToken.None);

        Assert.Equal("Zoë Ünal\n", result.StandardOutput);
    }

    [Fact]
    public async Task Standard_input_is_closed_so_a_reading_program_sees_end_of_file()
    {
        var result = await Commands.Wrap("/bin/cat").StartBuffered(CancellationToken.None).Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public async Task A_chatty_program_never_blocks_on_a_full_pipe_because_output_is_drained_from_the_start()
    {
        // Far more than a pipe holds (64 KiB), on both streams, before the program exits.
        var result = await Commands.Wrap("/bin/sh").WithArguments(["-c", "head -c 1000000 /dev/zero | tr '\\0' x; head -c 1000000 /dev/zero | tr '\\0' y >&2"])
            .StartBuffered(CancellationToken.None).Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1_000_000, result.StandardOutput.Length);
        Assert.Equal(1_000_000, result.StandardError.Length);
    }

    [Fact]
    public async Task A_started_program_exposes_its_pid_and_its_stderr_after_exit()
    {
        var execution = Commands.Wrap("/bin/sh").WithArguments(["-c", "echo $$; echo 'Failed to start transient scope unit' >&2; exit 1"]).StartBuffered(CancellationToken.None);

        var result = await execution;

        Assert.Equal($"{execution.ProcessId}\n", result.StandardOutput);
        Assert.Equal("Failed to start transient scope unit\n", result.StandardError);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void A_missing_program_is_a_start_exception_naming_it_and_the_reason()
    {
        var command = Commands.Wrap("riverrun-no-such-program-xyz");

        var exception = Assert.Throws<CommandStartException>(() => { _ = command.StartBuffered(CancellationToken.None); });

        Assert.Equal("riverrun-no-such-program-xyz", exception.Executable);
        Assert.StartsWith("Could not start 'riverrun-no-such-program-xyz': ", exception.Message, StringComparison.Ordinal);
        Assert.EndsWith("No such file or directory", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("credentials", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_that_is_not_executable_is_a_start_exception_naming_it()
    {
        using var temp = new TempDirectory();
        var script = temp.Combine("not-executable");
        File.WriteAllText(script, "#!/bin/sh\n");

        var exception = Assert.Throws<CommandStartException>(() => { _ = Commands.Wrap(script).StartBuffered(CancellationToken.None); });

        Assert.Equal(script, exception.Executable);
        Assert.Contains("Permission denied", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_working_directory_is_a_start_exception()
    {
        var command = Commands.Wrap("/bin/true").WithWorkingDirectory("/nonexistent/riverrun");

        var exception = Assert.Throws<CommandStartException>(() => { _ = command.StartBuffered(CancellationToken.None); });

        Assert.Equal("/bin/true", exception.Executable);
        Assert.Contains("/nonexistent/riverrun", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_working_directory_is_applied()
    {
        var result = await Commands.Wrap("/bin/pwd").WithWorkingDirectory("/tmp").StartBuffered(CancellationToken.None);

        Assert.Equal("/tmp\n", result.StandardOutput);
    }

    [Fact]
    public async Task Cancelling_the_forceful_token_kills_a_helper_that_is_no_longer_wanted()
    {
        using var cts = new CancellationTokenSource();
        var execution = Commands.Wrap("/bin/sleep").WithArguments(["30"]).StartBuffered(cts.Token);
        await Wait.UntilAsync(() => IsRunning(execution.ProcessId), TimeSpan.FromSeconds(10), "sleep to start");

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(IsRunning(execution.ProcessId));
    }

    [Fact]
    public async Task Cancelling_the_wait_leaves_a_program_started_without_a_token_running()
    {
        // How a task is waited for: systemd-run --scope is the task, so the Runner may stop
        // waiting (it is shutting down) but must never kill it.
        var execution = Commands.Wrap("/bin/sh").WithArguments(["-c", "exec sleep 30"]).StartBuffered(CancellationToken.None);
        using var stopWaiting = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution.Task.WaitAsync(stopWaiting.Token));
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        Assert.True(IsRunning(execution.ProcessId));
        Assert.False(execution.Task.IsCompleted);

        var kill = await Commands.Wrap("kill").WithArguments(["-KILL", execution.ProcessId.ToString(CultureInfo.InvariantCulture)]).StartBuffered(CancellationToken.None);
        Assert.Equal(0, kill.ExitCode);
        Assert.Equal(137, (await execution.Task.WaitAsync(TimeSpan.FromSeconds(10))).ExitCode);
    }

    [Fact]
    public async Task Programs_started_from_dotnet_inherit_sigpipe_ignored_which_is_why_the_wrapper_resets_it()
    {
        // The .NET runtime ignores SIGPIPE and Process.Start (under CliWrap too) keeps that
        // disposition for the child (dotnet/runtime behaviour, also reported by PowerShell #8421).
        var result = await Commands.Wrap("/bin/sh").WithArguments(["-c", "grep SigIgn /proc/self/status"]).StartBuffered(CancellationToken.None);

        var mask = Convert.ToUInt64(result.StandardOutput["SigIgn:".Length..].Trim(), 16);
        const int sigpipe = 13;
        Assert.NotEqual(0UL, mask & (1UL << (sigpipe - 1)));
    }
}
