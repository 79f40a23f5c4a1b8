namespace RiverRun.Host.Tests;

/// <summary>
/// A clock that moves only when a test calls <see cref="Advance"/>; timers due by then fire on the
/// caller's thread. (Written when Microsoft.Extensions.TimeProvider.Testing was not served; newer
/// tests use its FakeTimeProvider, which could replace this one.)
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>How many timers are armed and due exactly <paramref name="dueIn"/> after they were set.</summary>
    public int ArmedTimers(TimeSpan dueIn)
    {
        lock (_lock)
        {
            return _timers.Count(t => t.DueIn == dueIn);
        }
    }

    /// <summary>Waits (polling the real clock, up to the test patience) until <paramref name="count"/> such timers are armed.</summary>
    public async Task WaitForArmedTimersAsync(TimeSpan dueIn, int count = 1)
    {
        using var timeout = new CancellationTokenSource(FakeRunner.Patience);
        while (ArmedTimers(dueIn) < count)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeout.Token);
        }
    }

    /// <summary>Moves the clock forward and fires, in due order, every timer due by the new time.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + by;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.DueAt <= target).MinBy(t => t.DueAt);
                if (next is null)
                {
                    _now = target;
                    return;
                }

                _now = next.DueAt;
                next.Rearm(_now);
            }

            next.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset DueAt { get; private set; }

        public TimeSpan DueIn { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
                _period = period;
                DueIn = dueTime;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = clock._now + dueTime;
                    clock._timers.Add(this);
                }
            }

            return true;
        }

        public void Rearm(DateTimeOffset now)
        {
            // Called under the clock's lock.
            clock._timers.Remove(this);
            if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
            {
                DueAt = now + _period;
                clock._timers.Add(this);
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
