using RiverRun.Contracts.V1;
using RiverRun.Runner.Tasks;
using RiverRun.Systemd;
using ScopeTaskExited = RiverRun.Systemd.TaskExited;

namespace RiverRun.Runner.Tests;

public sealed class FinalStateDeciderTests
{
    private static ScopeTaskExited Exited(int status, long? oomKills = 0) => new(new WrapperExitRecord(status, oomKills, null, null));

    [Fact]
    public void Exit_code_0_succeeds()
    {
        var verdict = FinalStateDecider.Decide(Exited(0), StopReason.None, null, null);

        Assert.Equal(TaskState.Succeeded, verdict.State);
        Assert.Equal(0, verdict.ExitCode);
    }

    [Fact]
    public void A_non_zero_exit_code_fails_with_that_code()
    {
        var verdict = FinalStateDecider.Decide(Exited(3), StopReason.None, null, null);

        Assert.Equal(TaskState.Failed, verdict.State);
        Assert.Equal(3, verdict.ExitCode);
        Assert.Equal("exited with code 3", verdict.Reason);
    }

    [Fact]
    public void A_signal_nobody_sent_through_RiverRun_fails_with_that_signal()
    {
        var verdict = FinalStateDecider.Decide(Exited(128 + 11), StopReason.None, null, null);

        Assert.Equal(TaskState.Failed, verdict.State);
        Assert.Null(verdict.ExitCode);
        Assert.Equal(11, verdict.Signal);
        Assert.Contains("SIGSEGV", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kill_the_Host_asked_for_ends_KILLED_even_though_the_task_died_of_SIGTERM()
    {
        var verdict = FinalStateDecider.Decide(Exited(128 + 15), StopReason.Killed, null, null);

        Assert.Equal(TaskState.Killed, verdict.State);
        Assert.Equal(15, verdict.Signal);
    }

    [Fact]
    public void A_timeout_ends_TIMED_OUT_and_names_the_limit()
    {
        var verdict = FinalStateDecider.Decide(Exited(128 + 15), StopReason.TimedOut, null, TimeSpan.FromSeconds(30));

        Assert.Equal(TaskState.TimedOut, verdict.State);
        Assert.Contains("timeout of 30 s", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_OOM_kill_in_the_exit_record_ends_OOM_KILLED()
    {
        var verdict = FinalStateDecider.Decide(Exited(128 + 9, oomKills: 1), StopReason.None, null, null);

        Assert.Equal(TaskState.OomKilled, verdict.State);
        Assert.Equal(9, verdict.Signal);
    }

    [Fact]
    public void An_OOM_kill_seen_only_in_the_memory_cgroup_ends_OOM_KILLED_even_when_the_shell_exited_normally()
    {
        var verdict = FinalStateDecider.Decide(Exited(1, oomKills: null), StopReason.None, cgroupOomKills: 2, null);

        Assert.Equal(TaskState.OomKilled, verdict.State);
        Assert.Contains("2 OOM kills", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kill_request_outranks_an_OOM_count()
    {
        var verdict = FinalStateDecider.Decide(Exited(128 + 9, oomKills: 1), StopReason.Killed, null, null);

        Assert.Equal(TaskState.Killed, verdict.State);
    }

    [Fact]
    public void A_systemd_run_refusal_is_LAUNCH_FAILED_with_its_message()
    {
        var verdict = FinalStateDecider.Decide(new LaunchFailed("Unit riverrun-x.scope already exists."), StopReason.None, null, null);

        Assert.Equal(TaskState.LaunchFailed, verdict.State);
        Assert.Equal("Unit riverrun-x.scope already exists.", verdict.Reason);
        Assert.Null(verdict.ExitCode);
    }

    [Fact]
    public void A_wrapper_killed_without_a_record_fails_with_the_signal_of_its_own_status()
    {
        var verdict = FinalStateDecider.Decide(new EndedWithoutRecord("no record", 137), StopReason.None, null, null);

        Assert.Equal(TaskState.Failed, verdict.State);
        Assert.Equal(9, verdict.Signal);
    }

    [Fact]
    public void A_wrapper_killed_after_the_grace_period_of_a_kill_still_ends_KILLED()
    {
        var verdict = FinalStateDecider.Decide(new EndedWithoutRecord("no record", null), StopReason.Killed, null, null);

        Assert.Equal(TaskState.Killed, verdict.State);
    }
}
