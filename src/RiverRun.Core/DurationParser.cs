using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace RiverRun.Core;

/// <summary>
/// Durations as people type them on a command line: one or more whole numbers each followed by a
/// unit, largest first — "30s", "5m", "2h", "1h30m", "1d12h", "500ms". Units: d, h, m, s, ms.
/// </summary>
public static class DurationParser
{
    /// <summary>The accepted form, for help texts and error messages.</summary>
    public const string Syntax = "a number with a unit d, h, m, s or ms, e.g. 30s, 5m, 2h or 1h30m";

    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)), ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    /// <summary>Parses a duration; on failure <paramref name="error"/> says what is wrong and what is expected.</summary>
    /// <param name="text">The text, e.g. "1h30m".</param>
    /// <param name="duration">The duration.</param>
    /// <param name="error">Why the text is not a duration.</param>
    /// <param name="allowZero">Whether "0s" is acceptable.</param>
    public static bool TryParse(string? text, out TimeSpan duration, [NotNullWhen(false)] out string? error, bool allowZero = false)
    {
        duration = TimeSpan.Zero;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            error = $"duration is empty; expected {Syntax}";
            return false;
        }

        var position = 0;
        var lastUnitIndex = -1;
        var total = TimeSpan.Zero;
        while (position < trimmed.Length)
        {
            var numberStart = position;
            while (position < trimmed.Length && char.IsAsciiDigit(trimmed[position]))
            {
                position++;
            }

            if (position == numberStart)
            {
                error = trimmed[position] == '-'
                    ? $"duration '{trimmed}' is negative; expected {Syntax}"
                    : $"duration '{trimmed}' is not {Syntax}";
                return false;
            }

            if (position < trimmed.Length && trimmed[position] is '.' or ',')
            {
                error = $"duration '{trimmed}' has a fraction; use whole numbers of smaller units instead, e.g. 1h30m or 1500ms";
                return false;
            }

            var unitStart = position;
            while (position < trimmed.Length && char.IsAsciiLetter(trimmed[position]))
            {
                position++;
            }

            var unit = trimmed[unitStart..position];
            if (unit.Length == 0)
            {
                error = $"duration '{trimmed}' has a number without a unit; expected {Syntax}";
                return false;
            }

            var unitIndex = Array.FindIndex(Units, u => u.Unit.Equals(unit, StringComparison.OrdinalIgnoreCase));
            if (unitIndex < 0)
            {
                error = $"duration '{trimmed}' has an unknown unit '{unit}'; expected {Syntax}";
                return false;
            }

            if (unitIndex <= lastUnitIndex)
            {
                error = $"duration '{trimmed}' repeats a unit or has them out of order; write the largest unit first, e.g. 1h30m";
                return false;
            }

            lastUnitIndex = unitIndex;
            if (!long.TryParse(trimmed.AsSpan(numberStart, unitStart - numberStart), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || count > TimeSpan.MaxValue.Ticks / Units[unitIndex].Size.Ticks
                || total.Ticks > TimeSpan.MaxValue.Ticks - (count * Units[unitIndex].Size.Ticks))
            {
                error = $"duration '{trimmed}' is too long";
                return false;
            }

            total += TimeSpan.FromTicks(count * Units[unitIndex].Size.Ticks);
        }

        if (total == TimeSpan.Zero && !allowZero)
        {
            error = $"duration '{trimmed}' is zero; it must be positive";
            return false;
        }

        duration = total;
        error = null;
        return true;
    }

    /// <summary>A short form that <see cref="TryParse"/> reads back: "1h30m", "45s", "0s".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

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
