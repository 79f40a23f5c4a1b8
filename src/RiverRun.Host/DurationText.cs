using System.Globalization;
using System.Text;

namespace RiverRun.Host;

/// <summary>Durations in the short form the CLI accepts ("10m", "1h30m", "45s"), for messages an operator reads.</summary>
internal static class DurationText
{
    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)), ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    /// <summary>"1h30m" for 90 minutes; "0s" for zero, negative or sub-millisecond durations.</summary>
    public static string Format(TimeSpan duration)
    {
        var builder = new StringBuilder();
        var rest = duration;
        foreach (var (unit, size) in Units)
        {
            var count = rest.Ticks / size.Ticks;
            if (count > 0)
            {
                builder.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                rest -= TimeSpan.FromTicks(count * size.Ticks);
            }
        }

        return builder.Length == 0 ? "0s" : builder.ToString();
    }
}
