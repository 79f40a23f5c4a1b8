using System.Globalization;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// The grpc-timeout header: at most 8 ASCII digits followed by a unit
/// (H hours, M minutes, S seconds, m milliseconds, u microseconds, n nanoseconds).
/// </summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    /// <summary>The longest delay a CancellationTokenSource timer takes; longer deadlines are as good as none.</summary>
    public static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Formats a positive timeout, rounding up so the server never sees less than was asked for.</summary>
    public static string Format(TimeSpan timeout)
    {
        var milliseconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds));
        if (milliseconds <= MaxValue)
        {
            return Render(milliseconds, 'm');
        }

        var seconds = CeilingDivide(milliseconds, 1000);
        if (seconds <= MaxValue)
        {
            return Render(seconds, 'S');
        }

        var minutes = CeilingDivide(seconds, 60);
        if (minutes <= MaxValue)
        {
            return Render(minutes, 'M');
        }

        return Render(Math.Min(MaxValue, CeilingDivide(minutes, 60)), 'H');
    }

    /// <summary>Parses a grpc-timeout value; false when it is malformed.</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        var digits = value.AsSpan(0, value.Length - 1);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        // TimeSpan's largest value is ~29,000 years; 99,999,999 hours is ~11,400, so nothing overflows.
        TimeSpan? parsed = value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromTicks(amount * (TimeSpan.TicksPerMillisecond / 1000)),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => null,
        };
        if (parsed is null)
        {
            return false;
        }

        timeout = parsed.Value;
        return true;
    }

    private static long CeilingDivide(long value, long divisor) => (value + divisor - 1) / divisor;

    private static string Render(long amount, char unit) =>
        amount.ToString(CultureInfo.InvariantCulture) + unit;
}
