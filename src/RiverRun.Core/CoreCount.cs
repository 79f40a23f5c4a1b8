using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RiverRun.Core;

/// <summary>
/// A number of CPU cores a task asks for (<c>--cores</c>): more than 0, at most
/// <see cref="MaxCores"/>, in steps of 0.01 core ("0.5", "1", "2.25").
/// </summary>
/// <remarks>
/// systemd enforces it as CPUQuota=N*100%, and CPUQuota takes whole percents, so a hundredth of
/// a core is the finest amount that means anything; it is stored as hundredths so that adding
/// and comparing shares never drifts the way sums of doubles do.
/// </remarks>
public readonly record struct CoreCount : IComparable<CoreCount>
{
    /// <summary>The most cores one task may ask for; far beyond any node RiverRun is meant for.</summary>
    public const int MaxCores = 1024;

    private static readonly string ExpectedForm = $"a number of cores greater than 0 and at most {MaxCores}, with at most two decimals, e.g. 1, 2 or 0.5";

    private CoreCount(int hundredths) => Hundredths = hundredths;

    /// <summary>The amount in hundredths of a core (CPUQuota percent): 0.5 core = 50.</summary>
    public int Hundredths { get; }

    /// <summary>The amount in cores.</summary>
    public double Cores => Hundredths / 100.0;

    /// <summary>
    /// The amount from a number of cores (as carried on the wire), which must be in range and a
    /// whole number of hundredths; throws <see cref="ArgumentOutOfRangeException"/> otherwise.
    /// </summary>
    public static CoreCount FromCores(double cores) =>
        TryFromCores(cores, out var count, out var error)
            ? count
            : throw new ArgumentOutOfRangeException(nameof(cores), cores, error);

    /// <summary>The amount from a number of cores; on failure <paramref name="error"/> says why.</summary>
    public static bool TryFromCores(double cores, out CoreCount count, [NotNullWhen(false)] out string? error)
    {
        count = default;
        var text = cores.ToString(CultureInfo.InvariantCulture);
        if (double.IsNaN(cores) || double.IsInfinity(cores))
        {
            error = $"cores '{text}' is not a number; expected {ExpectedForm}";
            return false;
        }

        if (cores <= 0 || cores > MaxCores)
        {
            error = RangeError(text, cores <= 0);
            return false;
        }

        var hundredths = Math.Round(cores * 100);
        // Tolerate the representation error of doubles like 0.29 (28.999999999999996 hundredths).
        if (Math.Abs(hundredths - (cores * 100)) > 1e-6)
        {
            error = TooPreciseError(text);
            return false;
        }

        count = new CoreCount((int)hundredths);
        error = null;
        return true;
    }

    /// <summary>Parses <c>--cores</c> text, throwing <see cref="FormatException"/> whose message says what is wrong.</summary>
    public static CoreCount Parse(string text) =>
        TryParse(text, out var count, out var error) ? count : throw new FormatException(error);

    /// <summary>Parses <c>--cores</c> text; on failure <paramref name="error"/> says what is wrong and what is expected.</summary>
    public static bool TryParse(string? text, out CoreCount count, [NotNullWhen(false)] out string? error)
    {
        count = default;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            error = $"cores is empty; expected {ExpectedForm}";
            return false;
        }

        // Parsed as decimal, not double, so "0.1" is exactly ten hundredths.
        if (!decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cores))
        {
            error = $"cores '{trimmed}' is not a number; expected {ExpectedForm}";
            return false;
        }

        if (cores <= 0 || cores > MaxCores)
        {
            error = RangeError(trimmed, cores <= 0);
            return false;
        }

        if (decimal.Round(cores, 2) != cores)
        {
            error = TooPreciseError(trimmed);
            return false;
        }

        count = new CoreCount((int)(cores * 100));
        error = null;
        return true;
    }

    /// <summary>The systemd CPUQuota= value for this share: 0.5 core is "50%", 2 cores are "200%".</summary>
    public string ToCpuQuota() => Hundredths.ToString(CultureInfo.InvariantCulture) + "%";

    /// <summary>The amount as <c>--cores</c> takes it: "0.5", "2", "2.25".</summary>
    public override string ToString() => (Hundredths / 100m).ToString("0.##", CultureInfo.InvariantCulture);

    public int CompareTo(CoreCount other) => Hundredths.CompareTo(other.Hundredths);

    public static bool operator <(CoreCount left, CoreCount right) => left.Hundredths < right.Hundredths;

    public static bool operator <=(CoreCount left, CoreCount right) => left.Hundredths <= right.Hundredths;

    public static bool operator >(CoreCount left, CoreCount right) => left.Hundredths > right.Hundredths;

    public static bool operator >=(CoreCount left, CoreCount right) => left.Hundredths >= right.Hundredths;

    private static string RangeError(string text, bool tooSmall) => tooSmall
        ? $"cores '{text}' must be greater than 0; expected {ExpectedForm}"
        : $"cores '{text}' is more than {MaxCores}; expected {ExpectedForm}";

    private static string TooPreciseError(string text) =>
        $"cores '{text}' has more than two decimals; CPUQuota counts whole percents of a core, so use e.g. 0.25 or 1.5";
}
