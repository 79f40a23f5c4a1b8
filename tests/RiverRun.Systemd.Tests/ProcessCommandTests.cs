namespace RiverRun.Systemd.Tests;

public class ProcessCommandTests
{
    [Fact]
    public async Task A_buffered_run_returns_exit_code_stdout_and_stderr()
    {
        var result = await new ProcessCommand("/bin/sh")
            .WithArguments(["-c", "echo out; echo err >&2; exit 3"])
            .ExecuteBufferedAsync();

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.True(result.RunTime > TimeSpan.Zero);
    }

    [Fact]
    public async Task Arguments_reach_the_program_unchanged_without_shell_parsing()
    {
        string[] tricky = ["$HOME", "two words", "it's \"quoted\"", "`id`", "a\\b", "", "*"];

        var result = await new ProcessCommand("printf").WithArguments(["%s\n", .. tricky]).ExecuteBufferedAsync();

        Assert.Equal(string.Concat(tricky.Select(a => a + "\n")), result.StandardOutput);
    }

    [Fact]
    public async Task A_given_environment_replaces_the_callers_environment_entirely()
    {
        Environment.SetEnvironmentVariable("RIVERRUN_TEST_LEAK_TOKEN", "must-not-leak");

        var result = await new ProcessCommand("/usr/bin/env")
            .WithEnvironment(new Dictionary<string, string> { ["ONLY"] = "this" })
            .ExecuteBufferedAsync();

        Assert.Equal("ONLY=this\n", result.StandardOutput);
    }

    [Fact]
    public async Task Without_a_given_environment_the_callers_environment_is_inherited()
    {
        Environment.SetEnvironmentVariable("RIVERRUN_TEST_INHERITED", "yes");

        var result = await new ProcessCommand("/usr/bin/env").ExecuteBufferedAsync();

        Assert.Contains("RIVERRUN_TEST_INHERITED=yes\n", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_working_directory_is_applied()
    {
        var result = await new ProcessCommand("/bin/pwd").WithWorkingDirectory("/tmp").ExecuteBufferedAsync();

        Assert.Equal("/tmp\n", result.StandardOutput);
    }

    [Fact]
    public void A_missing_executable_gives_an_exception_naming_it()
    {
        var command = new ProcessCommand("riverrun-no-such-program-xyz");

        var exception = Assert.Throws<CommandStartException>(() => command.Start());

        Assert.Equal("riverrun-no-such-program-xyz", exception.Executable);
        Assert.Contains("riverrun-no-such-program-xyz", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_methods_return_new_commands_and_leave_the_original_unchanged()
    {
        var original = new ProcessCommand("systemctl");

        var derived = original.WithArguments(["status"]).WithWorkingDirectory("/");

        Assert.Empty(original.Arguments);
        Assert.Null(original.WorkingDirectory);
        Assert.Equal(["status"], derived.Arguments);
        Assert.Equal("/", derived.WorkingDirectory);
    }

    [Fact]
    public async Task A_started_process_exposes_its_pid_and_its_captured_stderr_after_exit()
    {
        using var running = new ProcessCommand("/bin/sh").WithArguments(["-c", "echo $$; echo 'Failed to start transient scope unit' >&2; exit 1"]).Start();

        var result = await running.WaitForExitAsync();

        Assert.Equal($"{running.ProcessId}\n", result.StandardOutput);
        Assert.Equal("Failed to start transient scope unit\n", result.StandardError);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task A_program_killed_by_a_signal_reports_128_plus_the_signal()
    {
        var result = await new ProcessCommand("/bin/sh").WithArguments(["-c", "kill -KILL $$"]).ExecuteBufferedAsync();

        Assert.Equal(137, result.ExitCode);
    }

    [Fact]
    public async Task Standard_input_is_closed_so_a_reading_program_sees_end_of_file()
    {
        var result = await new ProcessCommand("/bin/cat").ExecuteBufferedAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Cancelling_a_buffered_run_kills_the_program()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var started = DateTime.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new ProcessCommand("/bin/sleep").WithArguments(["30"]).ExecuteBufferedAsync(cts.Token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void An_environment_name_with_an_equals_sign_is_refused()
    {
        var command = new ProcessCommand("env");

        Assert.Throws<ArgumentException>(() => command.WithEnvironment(new Dictionary<string, string> { ["A=B"] = "c" }));
    }

    [Fact]
    public async Task Programs_started_from_dotnet_inherit_sigpipe_ignored_which_is_why_the_wrapper_resets_it()
    {
        // The .NET runtime ignores SIGPIPE and Process.Start keeps that disposition for the
        // child (dotnet/runtime behaviour, also reported by PowerShell #8421).
        var result = await new ProcessCommand("/bin/sh").WithArguments(["-c", "grep SigIgn /proc/self/status"]).ExecuteBufferedAsync();

        var mask = Convert.ToUInt64(result.StandardOutput["SigIgn:".Length..].Trim(), 16);
        const int sigpipe = 13;
        Assert.NotEqual(0UL, mask & (1UL << (sigpipe - 1)));
    }
}
