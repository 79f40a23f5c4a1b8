namespace RiverRun.Runner.Connection;

/// <summary>
/// Delays between attempts to reach the Host: the initial delay, doubling per failure up to the
/// maximum, each with ±20 % jitter so that Runners that lost the Host together do not all come
/// back in the same instant. Reset after a successful registration.
/// </summary>
internal sealed class ReconnectBackoff
{
    private const double Jitter = 0.2;

    private readonly TimeSpan _initial;
    private readonly TimeSpan _maximum;
    private readonly Func<double> _random;
    private TimeSpan _next;

    /// <param name="initial">The first delay.</param>
    /// <param name="maximum">The longest delay (before jitter).</param>
    /// <param name="random">A source of numbers in [0, 1); injectable so the sequence is testable.</param>
    public ReconnectBackoff(TimeSpan initial, TimeSpan maximum, Func<double> random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, initial);
        ArgumentNullException.ThrowIfNull(random);
        _initial = initial;
        _maximum = maximum;
        _random = random;
        _next = initial;
    }

    /// <summary>The delay before the next attempt; each call doubles the one after.</summary>
    public TimeSpan Next()
    {
        var baseDelay = _next;
        _next = _next * 2 > _maximum ? _maximum : _next * 2;
        var factor = 1 + (Jitter * ((2 * _random()) - 1));
        return baseDelay * factor;
    }

    /// <summary>Back to the initial delay (the Host was reached).</summary>
    public void Reset() => _next = _initial;
}
