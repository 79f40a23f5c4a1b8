namespace RiverRun.Systemd.Tests;

public sealed class ScopeSignalsTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static ScopeSignals Signals(FakeSystemctl fake)
    {
        var systemctl = new Systemctl(fake.Path);
        return new ScopeSignals(systemctl, new ScopeLiveness(systemctl, layout: null), TimeProvider.System, Poll);
    }

    private static string[] Commands(FakeSystemctl fake) =>
        fake.Calls.Where(c => !c.StartsWith("show|", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task A_scope_that_ends_on_sigterm_gets_no_sigkill_and_is_stopped_quietly()
    {
        var fake = new FakeSystemctl(_temp, obeysSigterm: true);

        var result = await Signals(fake).KillScopeAsync("riverrun-x", TimeSpan.FromSeconds(10));

        Assert.Equal(ScopeKillResult.EndedWithinGrace, result);
        Assert.Equal(["kill|--kill-whom=all|--signal=SIGTERM|--|riverrun-x.scope|", "stop|--|riverrun-x.scope|"], Commands(fake));
    }

    [Fact]
    public async Task A_scope_that_ignores_sigterm_gets_sigkill_and_a_stop_after_the_grace_period()
    {
        var fake = new FakeSystemctl(_temp, obeysSigterm: false);
        var grace = TimeSpan.FromMilliseconds(300);
        var started = TimeProvider.System.GetTimestamp();

        var result = await Signals(fake).KillScopeAsync("riverrun-x", grace);

        Assert.Equal(ScopeKillResult.Killed, result);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= grace);
        Assert.Equal(
            [
                "kill|--kill-whom=all|--signal=SIGTERM|--|riverrun-x.scope|",
                "kill|--kill-whom=all|--signal=SIGKILL|--|riverrun-x.scope|",
                "stop|--|riverrun-x.scope|",
            ],
            Commands(fake));
    }

    [Fact]
    public async Task A_scope_that_is_already_gone_is_not_signalled_and_its_stop_failure_is_not_an_error()
    {
        var fake = new FakeSystemctl(_temp, initialState: "inactive");

        var result = await Signals(fake).KillScopeAsync("riverrun-x", TimeSpan.FromSeconds(10));

        Assert.Equal(ScopeKillResult.AlreadyGone, result);
        Assert.Equal(["stop|--|riverrun-x.scope|"], Commands(fake));
    }

    [Fact]
    public async Task The_grace_period_is_measured_with_the_injected_time_provider()
    {
        var fake = new FakeSystemctl(_temp, obeysSigterm: false);
        var systemctl = new Systemctl(fake.Path);
        var frozenClock = new SteppingTimeProvider(step: TimeSpan.FromHours(1));
        var signals = new ScopeSignals(systemctl, new ScopeLiveness(systemctl, layout: null), frozenClock, Poll);

        // A one-minute grace is over at the first look because each reading of this clock moves an hour.
        var result = await signals.KillScopeAsync("riverrun-x", TimeSpan.FromMinutes(1)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ScopeKillResult.Killed, result);
    }

    /// <summary>A clock whose every timestamp reading is <c>step</c> later than the previous one.</summary>
    private sealed class SteppingTimeProvider(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);
    }
}
