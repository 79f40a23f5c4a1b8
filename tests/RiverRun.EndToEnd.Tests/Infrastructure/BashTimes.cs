using System.Globalization;

namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>Reads the times bash's `times` builtin prints (e.g. 0m1.234s).</summary>
public static class BashTimes
{
    public static double Parse(string text)
    {
        var minutes = text.IndexOf('m', StringComparison.Ordinal);
        return (int.Parse(text[..minutes], CultureInfo.InvariantCulture) * 60)
            + double.Parse(text[(minutes + 1)..^1], CultureInfo.InvariantCulture);
    }
}
