using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiverRun.Systemd.Processes;

namespace RiverRun.Systemd.Tests;

public sealed class IdleMemoryTrimmerTests
{
    private const long MiB = 1L << 20;

    [Fact]
    public void The_first_quiet_look_after_a_burst_trims_once()
    {
        var policy = new IdleMemoryPolicy();

        Assert.False(policy.ShouldTrim(300 * MiB));
        Assert.False(policy.ShouldTrim(5 * MiB));
        Assert.True(policy.ShouldTrim(1 * MiB));
        Assert.False(policy.ShouldTrim(1 * MiB));
        Assert.False(policy.ShouldTrim(0));
    }

    [Fact]
    public void A_service_under_steady_light_load_is_never_trimmed()
    {
        var policy = new IdleMemoryPolicy();

        for (var look = 0; look < 100; look++)
        {
            Assert.False(policy.ShouldTrim(3 * MiB));
        }
    }

    [Fact]
    public void A_service_that_stays_busy_is_trimmed_only_when_it_stops()
    {
        var policy = new IdleMemoryPolicy();

        for (var look = 0; look < 100; look++)
        {
            Assert.False(policy.ShouldTrim(40 * MiB));
        }

        Assert.True(policy.ShouldTrim(0));
    }

    [Fact]
    public async Task The_trimmer_trims_once_when_a_burst_is_over_and_not_again_while_the_service_stays_quiet()
    {
        var clock = new FakeTimeProvider();
        var gc = new FakeGc(new GcReading(0, 13 * MiB));
        using var trimmer = new IdleMemoryTrimmer(clock, NullLogger<IdleMemoryTrimmer>.Instance) { Read = gc.Read, Trim = gc.Trim };
        await trimmer.StartAsync(CancellationToken.None);
        await gc.Looked.WaitAsync(TimeSpan.FromSeconds(10));

        // A burst: much allocated, much more committed. Busy, so no trim at this look.
        gc.Set(new GcReading(500 * MiB, 31 * MiB));
        await LookAsync(clock, gc);
        Assert.Equal(0, gc.Trims);

        // Quiet from now on: a trim at the next look, and none at the looks after it.
        await LookAsync(clock, gc);
        Assert.Equal(1, gc.Trims);
        for (var look = 0; look < 3; look++)
        {
            await LookAsync(clock, gc);
        }

        await trimmer.StopAsync(CancellationToken.None);
        Assert.Equal(1, gc.Trims);
    }

    // Moves the clock until the trimmer has looked once more (it may not be waiting yet when the clock first moves).
    private static async Task LookAsync(FakeTimeProvider clock, FakeGc gc)
    {
        var looks = gc.Looks;
        for (var attempt = 0; gc.Looks == looks; attempt++)
        {
            Assert.True(attempt < 100, "the trimmer never looked");
            clock.Advance(IdleMemoryTrimmer.Interval);
            await gc.Looked.WaitAsync(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>A GC that reports what the test sets; a trim leaves 14 MiB committed.</summary>
    private sealed class FakeGc(GcReading initial)
    {
        private readonly Lock _gate = new();
        private GcReading _reading = initial;
        private int _trims;
        private int _looks;

        public SemaphoreSlim Looked { get; } = new(0);

        public int Trims => Volatile.Read(ref _trims);

        public int Looks => Volatile.Read(ref _looks);

        public void Set(GcReading reading)
        {
            lock (_gate)
            {
                _reading = reading;
            }
        }

        public GcReading Read()
        {
            GcReading reading;
            lock (_gate)
            {
                reading = _reading;
            }

            Interlocked.Increment(ref _looks);
            Looked.Release();
            return reading;
        }

        public void Trim()
        {
            lock (_gate)
            {
                _reading = _reading with { CommittedBytes = 14 * MiB };
            }

            Interlocked.Increment(ref _trims);
        }
    }
}
