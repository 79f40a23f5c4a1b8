using RiverRun.Runner.Connection;

namespace RiverRun.Runner.Tests;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Without_jitter_the_delays_double_from_half_a_second_up_to_ten_seconds()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10), () => 0.5);

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalSeconds).ToArray();

        Assert.Equal([0.5, 1, 2, 4, 8, 10, 10, 10], delays);
    }

    [Fact]
    public void Jitter_stays_within_twenty_percent_either_way()
    {
        var low = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), () => 0.0);
        var high = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), () => 0.999999);

        Assert.Equal(0.8, low.Next().TotalSeconds, precision: 6);
        Assert.Equal(1.2, high.Next().TotalSeconds, precision: 3);
    }

    [Fact]
    public void Reset_starts_over_at_the_initial_delay()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10), () => 0.5);
        backoff.Next();
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.Equal(TimeSpan.FromSeconds(0.5), backoff.Next());
    }
}
