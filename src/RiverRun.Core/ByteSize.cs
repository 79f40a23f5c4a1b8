using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RiverRun.Core;

/// <summary>
/// An amount of memory in bytes, with the text form of <c>--memory</c>: "512" (bytes), "100K",
/// "50M", "4G", "1.5G", "2T".
/// </summary>
/// <remarks>
/// Units are powers of 1024 whatever their spelling: "4G", "4GB" and "4GiB" all mean
/// 4 * 1024^3 bytes, because that is what systemd's MemoryMax= means by "4G" and a user writing
/// "4GB" for a memory limit means the same thing. Units and the optional B/iB suffix are
/// case-insensitive. A fraction is allowed with a unit ("1.5G") and rounds down to whole bytes.
/// </remarks>
public readonly record struct ByteSize : IComparable<ByteSize>
{
    private const string ExpectedForm = "a number with an optional unit K, M, G or T (powers of 1024), e.g. 512M, 4G or 1.5G";

    // Largest unit first: formatting picks the first that fits.
    private static readonly (char Letter, long Factor)[] Units =
    [
        ('T', 1L << 40), ('G', 1L << 30), ('M', 1L << 20), ('K', 1L << 10),
    ];

    /// <summary>A size of <paramref name="bytes"/> bytes, which must not be negative.</summary>
    public ByteSize(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Bytes = bytes;
    }

    /// <summary>The size in bytes, never negative.</summary>
    public long Bytes { get; }

    /// <summary>Zero bytes.</summary>
    public static ByteSize Zero => default;

    /// <summary>Parses a size, throwing <see cref="FormatException"/> whose message says what is wrong.</summary>
    /// <param name="text">e.g. "4G".</param>
    /// <param name="allowZero">Whether "0" is acceptable (it is not for a memory limit someone typed).</param>
    public static ByteSize Parse(string text, bool allowZero = false) =>
        TryParse(text, out var size, out var error, allowZero) ? size : throw new FormatException(error);

    /// <summary>Parses a size; on failure <paramref name="error"/> says what is wrong and what is expected.</summary>
    public static bool TryParse(string? text, out ByteSize size, [NotNullWhen(false)] out string? error, bool allowZero = false)
    {
        size = Zero;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            error = $"size is empty; expected {ExpectedForm}";
            return false;
        }

        if (trimmed[0] == '-')
        {
            error = $"size '{trimmed}' is negative; expected {ExpectedForm}";
            return false;
        }

        var numberLength = 0;
        while (numberLength < trimmed.Length && (char.IsAsciiDigit(trimmed[numberLength]) || trimmed[numberLength] == '.'))
        {
            numberLength++;
        }

        var number = trimmed[..numberLength];
        var unit = trimmed[numberLength..];
        if (!IsPlainDecimal(number))
        {
            error = $"size '{trimmed}' is not {ExpectedForm}";
            return false;
        }

        if (!TryGetUnitFactor(unit, out var factor))
        {
            error = unit.Any(char.IsWhiteSpace)
                ? $"size '{trimmed}' contains a space; write the unit right after the number, e.g. 4G"
                : $"size '{trimmed}' has an unknown unit '{unit}'; use K, M, G or T (powers of 1024), optionally followed by B or iB";
            return false;
        }

        if (factor == 1 && number.Contains('.', StringComparison.Ordinal))
        {
            error = $"size '{trimmed}' is a fraction of a byte; give whole bytes or use a unit, e.g. 1.5G";
            return false;
        }

        // decimal holds 28 digits exactly; anything longer is far beyond long.MaxValue bytes anyway.
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value > long.MaxValue / (decimal)factor)
        {
            error = $"size '{trimmed}' is too large; the largest size is {long.MaxValue} bytes (just under 8388608T)";
            return false;
        }

        var bytes = (long)decimal.Floor(value * factor);
        if (bytes == 0 && !allowZero)
        {
            error = $"size '{trimmed}' is zero; it must be at least one byte";
            return false;
        }

        size = new ByteSize(bytes);
        error = null;
        return true;
    }

    /// <summary>
    /// A short form for people: the largest unit with a value of at least 1, rounded to two
    /// decimals ("4G", "1.5G", "512M", "16.47G"). Exact for whole and simply-fractional sizes;
    /// use <see cref="ToExactString"/> when the text must parse back to the same bytes.
    /// </summary>
    public override string ToString()
    {
        for (var i = 0; i < Units.Length; i++)
        {
            var (letter, factor) = Units[i];
            if (Bytes < factor)
            {
                continue;
            }

            var rounded = Math.Round((decimal)Bytes / factor, 2, MidpointRounding.AwayFromZero);
            // 1023.999M rounds to 1024M; say 1G instead.
            if (rounded >= 1024 && i > 0)
            {
                (letter, factor) = Units[i - 1];
                rounded = Math.Round((decimal)Bytes / factor, 2, MidpointRounding.AwayFromZero);
            }

            return FormatNumber(rounded) + letter;
        }

        return Bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The shortest text in the largest unit that still parses back to exactly these bytes
    /// ("4G", "1.5G", "1025K", "1000").
    /// </summary>
    public string ToExactString()
    {
        foreach (var (letter, factor) in Units)
        {
            // Two decimals at most keeps the text short; a value needing more goes down a unit.
            if (Bytes >= factor && (decimal)Bytes * 100 % factor == 0)
            {
                return FormatNumber((decimal)Bytes / factor) + letter;
            }
        }

        return Bytes.ToString(CultureInfo.InvariantCulture);
    }

    public int CompareTo(ByteSize other) => Bytes.CompareTo(other.Bytes);

    public static bool operator <(ByteSize left, ByteSize right) => left.Bytes < right.Bytes;

    public static bool operator <=(ByteSize left, ByteSize right) => left.Bytes <= right.Bytes;

    public static bool operator >(ByteSize left, ByteSize right) => left.Bytes > right.Bytes;

    public static bool operator >=(ByteSize left, ByteSize right) => left.Bytes >= right.Bytes;

    private static string FormatNumber(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    // Digits, optionally one '.' with digits on both sides: no "1.", ".5" or "1.2.3".
    private static bool IsPlainDecimal(string number)
    {
        var dot = number.IndexOf('.', StringComparison.Ordinal);
        return number.Length > 0
            && dot != 0
            && dot != number.Length - 1
            && (dot < 0 || number.IndexOf('.', dot + 1) < 0);
    }

    private static bool TryGetUnitFactor(string unit, out long factor)
    {
        factor = 1;
        if (unit.Length == 0 || unit.Equals("B", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var letter = char.ToUpperInvariant(unit[0]);
        var suffix = unit[1..];
        if (suffix.Length > 0
            && !suffix.Equals("B", StringComparison.OrdinalIgnoreCase)
            && !suffix.Equals("iB", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var (unitLetter, unitFactor) in Units)
        {
            if (unitLetter == letter)
            {
                factor = unitFactor;
                return true;
            }
        }

        return false;
    }
}
