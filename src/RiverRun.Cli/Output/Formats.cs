using System.Globalization;
using System.Text;

namespace RiverRun.Cli.Output;

/// <summary>Small text forms shared by the printers: ages, elapsed times, timestamps, commands.</summary>
public static class Formats
{
    /// <summary>How long ago, in its largest unit: "0s ago", "2s ago", "5m ago", "3h ago", "2d ago".</summary>
    public static string Ago(DateTimeOffset then, DateTimeOffset now)
    {
        var age = now - then;
        if (age < TimeSpan.Zero)
        {
            // The Host's clock is ahead of ours: it just happened.
            age = TimeSpan.Zero;
        }

        var text = age switch
        {
            { TotalMinutes: < 1 } => $"{(int)age.TotalSeconds}s",
            { TotalHours: < 1 } => $"{(int)age.TotalMinutes}m",
            { TotalDays: < 1 } => $"{(int)age.TotalHours}h",
            _ => $"{(int)age.TotalDays}d",
        };
        return text + " ago";
    }

    /// <summary>An elapsed time for a progress line: "7s", "1m05s", "2h03m".</summary>
    public static string Elapsed(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero)
        {
            elapsed = TimeSpan.Zero;
        }

        return elapsed switch
        {
            { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalSeconds}s"),
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalMinutes}m{elapsed.Seconds:00}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalHours}h{elapsed.Minutes:00}m"),
        };
    }

    /// <summary>A timestamp in the given zone: "2025-11-22 03:37:05 +01:00".</summary>
    public static string Timestamp(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// argv as a POSIX shell would need it typed: words with spaces or special characters are
    /// single-quoted, so what is shown can be pasted back.
    /// </summary>
    public static string Command(IEnumerable<string> argv) => string.Join(' ', argv.Select(QuoteWord));

    private static string QuoteWord(string word)
    {
        if (word.Length > 0 && word.All(IsShellSafe))
        {
            return word;
        }

        var quoted = new StringBuilder("'");
        foreach (var c in word)
        {
            quoted.Append(c == '\'' ? "'\\''" : char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return quoted.Append('\'').ToString();
    }

    private static bool IsShellSafe(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or ',' or '=' or '+' or '@' or '%';
}
