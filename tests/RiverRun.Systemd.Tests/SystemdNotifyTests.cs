using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiverRun.Systemd.Notify;

namespace RiverRun.Systemd.Tests;

/// <summary>sd_notify for the services: the watchdog's settings, socket activation, loop heartbeats, STATUS= and WATCHDOG=1.</summary>
public sealed class SystemdNotifyTests
{
    [Fact]
    public void A_message_that_cannot_be_sent_is_dropped_and_the_next_one_is_sent()
    {
        var inner = new FlakyNotifier();
        var notifier = new BestEffortSystemdNotifier(inner);

        inner.Fail = true;
        notifier.Notify(new ServiceState("STATUS=lost"));
        inner.Fail = false;
        notifier.Notify(new ServiceState("STATUS=sent"));

        Assert.Equal(["STATUS=sent"], inner.Sent);
    }

    [Fact]
    public void The_open_file_limit_is_raised_to_the_hard_limit()
    {
        // The test host's runtime has raised it already; what matters is that the call reads the
        // limit, changes nothing it must not, and reports the hard limit as in force.
        var limit = OpenFileLimit.RaiseToHardLimit();

        Assert.NotNull(limit);
        var hard = File.ReadAllLines("/proc/self/limits").Single(line => line.StartsWith("Max open files", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[4];
        Assert.Equal(hard == "unlimited" ? ulong.MaxValue : ulong.Parse(hard, System.Globalization.CultureInfo.InvariantCulture), limit);
    }

    [Theory]
    [InlineData("30000000", null, 30.0)]
    [InlineData("30000000", "4242", 30.0)]
    [InlineData("500000", "", 0.5)]
    public void A_watchdog_meant_for_this_process_is_read_from_WATCHDOG_USEC(string usec, string? pid, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), WatchdogSettings.Parse(usec, pid, processId: 4242));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("soon", null)]
    [InlineData("30000000", "1")]
    [InlineData("30000000", "not-a-pid")]
    public void No_watchdog_without_a_usable_interval_or_when_it_is_meant_for_another_process(string? usec, string? pid) =>
        Assert.Null(WatchdogSettings.Parse(usec, pid, processId: 4242));

    [Fact]
    public void Sockets_passed_to_this_process_start_at_descriptor_3() =>
        Assert.Equal([3, 4], SocketActivation.Parse("4242", "2", processId: 4242));

    [Theory]
    [InlineData(null, "1")]
    [InlineData("4242", null)]
    [InlineData("1", "1")]
    [InlineData("4242", "0")]
    [InlineData("4242", "x")]
    public void No_sockets_when_none_were_passed_or_they_were_meant_for_another_process(string? pid, string? fds) =>
        Assert.Empty(SocketActivation.Parse(pid, fds, processId: 4242));

    [Fact]
    public void A_loop_is_alive_until_it_misses_the_beat_it_promised()
    {
        var clock = new FakeTimeProvider();
        var loop = new LoopHeartbeat("scheduler", clock);
        Assert.True(loop.IsAlive(TimeSpan.Zero));

        loop.Beat(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(loop.IsAlive(TimeSpan.Zero));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(loop.IsAlive(TimeSpan.Zero));
        Assert.True(loop.IsAlive(TimeSpan.FromSeconds(2)));

        loop.Beat(TimeSpan.FromSeconds(10));
        Assert.True(loop.IsAlive(TimeSpan.Zero));
    }

    [Fact]
    public async Task The_watchdog_is_fed_and_the_status_told_while_every_loop_keeps_its_promise()
    {
        var clock = new FakeTimeProvider();
        var notifier = new RecordingNotifier();
        var loop = new LoopHeartbeat("scheduler", clock);
        loop.Beat(TimeSpan.FromSeconds(60));
        using var service = Watchdog(notifier, loop, clock, TimeSpan.FromSeconds(30));

        await service.StartAsync(CancellationToken.None);
        await notifier.WaitForAsync("WATCHDOG=1", count: 1);
        // The loop's next wait may not be armed yet when the clock moves: move it until it wakes.
        await notifier.WaitForAsync("WATCHDOG=1", count: 2, whileWaiting: () => clock.Advance(TimeSpan.FromSeconds(5)));
        await service.StopAsync(CancellationToken.None);

        Assert.Contains("STATUS=3 running, 1 queued", notifier.States);
        Assert.Single(notifier.States, s => s.StartsWith("STATUS=", StringComparison.Ordinal));
        Assert.Equal("STOPPING=1", notifier.States[^1]);
    }

    [Fact]
    public async Task A_loop_that_missed_its_beat_starves_the_watchdog_so_systemd_restarts_the_service()
    {
        var clock = new FakeTimeProvider();
        var notifier = new RecordingNotifier();
        var loop = new LoopHeartbeat("scheduler", clock);
        loop.Beat(TimeSpan.FromSeconds(1));
        using var service = Watchdog(notifier, loop, clock, TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(20));

        await service.StartAsync(CancellationToken.None);
        await notifier.WaitForAsync("STATUS=3 running, 1 queued", count: 1);
        clock.Advance(TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(5));
        await service.StopAsync(CancellationToken.None);

        Assert.DoesNotContain("WATCHDOG=1", notifier.States);
    }

    [Fact]
    public async Task Outside_systemd_nothing_is_sent()
    {
        var clock = new FakeTimeProvider();
        var notifier = new RecordingNotifier { IsEnabled = false };
        using var service = Watchdog(notifier, new LoopHeartbeat("scheduler", clock), clock, TimeSpan.FromSeconds(30));

        await service.StartAsync(CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        Assert.Empty(notifier.States);
    }

    private static SystemdWatchdogService Watchdog(RecordingNotifier notifier, LoopHeartbeat loop, TimeProvider clock, TimeSpan watchdog) =>
        new(notifier, [loop], new FixedStatus("3 running, 1 queued"), clock, NullLogger<SystemdWatchdogService>.Instance) { Watchdog = watchdog };

    private sealed class FixedStatus(string line) : IServiceStatusSource
    {
        public ValueTask<string> DescribeAsync(CancellationToken cancellationToken) => ValueTask.FromResult(line);
    }

    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private readonly List<string> _states = [];

        public bool IsEnabled { get; init; } = true;

        public IReadOnlyList<string> States
        {
            get
            {
                lock (_states)
                {
                    return [.. _states];
                }
            }
        }

        public void Notify(ServiceState state)
        {
            if (!IsEnabled)
            {
                return;
            }

            lock (_states)
            {
                _states.Add(state.ToString());
            }
        }

        public async Task WaitForAsync(string state, int count, Action? whileWaiting = null)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (States.Count(s => s == state) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"expected {count}× {state}; got: {string.Join(", ", States)}");
                whileWaiting?.Invoke();
                await Task.Delay(10);
            }
        }
    }

    private sealed class FlakyNotifier : ISystemdNotifier
    {
        public bool Fail { get; set; }

        public List<string> Sent { get; } = [];

        public bool IsEnabled => true;

        public void Notify(ServiceState state)
        {
            if (Fail)
            {
                throw new System.Net.Sockets.SocketException(24);
            }

            Sent.Add(state.ToString());
        }
    }
}
