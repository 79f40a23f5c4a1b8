using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RiverRun.Core;

/// <summary>
/// Reads the <c>--target</c> text form into a <see cref="TargetSelector"/>: NODE[:NUMA[:GPUS]],
/// where NUMA may be empty only when GPUS follow ("node1::0,1").
/// </summary>
internal static class TargetSelectorParser
{
    // Far above any real machine; keeps a typo like 10000000000 from being taken as an index.
    private const int MaxIndex = 4095;

    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out TargetSelector? target,
        [NotNullWhen(false)] out string? error)
    {
        target = null;
        if (string.IsNullOrEmpty(text))
        {
            return Fail("target is empty", out error);
        }

        if (text.Any(char.IsWhiteSpace))
        {
            return Fail($"target '{text}' contains a space", out error);
        }

        var parts = text.Split(':');
        if (parts.Length > 3)
        {
            return Fail($"target '{text}' has more than two ':'", out error);
        }

        var node = parts[0];
        if (node.Length == 0)
        {
            return Fail($"target '{text}' has no node name before ':'", out error);
        }

        if (NodeName.Validate(node) is { } nodeError)
        {
            return Fail($"target '{text}': {nodeError}", out error);
        }

        int? numaNode = null;
        if (parts.Length >= 2)
        {
            var numaText = parts[1];
            // An empty NUMA part is the "::" of "node1::0,1"; on its own ("node1:") it says nothing.
            if (numaText.Length == 0 && parts.Length == 2)
            {
                return Fail($"target '{text}' has nothing after ':'", out error);
            }

            if (numaText.Length > 0)
            {
                if (!TryParseIndex(numaText, out var numa, out var indexError))
                {
                    return Fail($"target '{text}': NUMA node {indexError}", out error);
                }

                numaNode = numa;
            }
        }

        var gpus = new List<int>();
        if (parts.Length == 3)
        {
            if (parts[2].Length == 0)
            {
                return Fail($"target '{text}' has no GPU after the last ':'", out error);
            }

            foreach (var gpuText in parts[2].Split(','))
            {
                if (gpuText.Length == 0)
                {
                    return Fail($"target '{text}' has an empty entry in its GPU list", out error);
                }

                if (!TryParseIndex(gpuText, out var gpu, out var indexError))
                {
                    return Fail($"target '{text}': GPU {indexError}", out error);
                }

                if (gpus.Contains(gpu))
                {
                    return Fail($"target '{text}' lists GPU {gpu} more than once", out error);
                }

                gpus.Add(gpu);
            }
        }

        target = new TargetSelector(node, numaNode, gpus);
        error = null;
        return true;
    }

    // Digits only: no sign, so "-1" is reported as negative rather than parsed.
    private static bool TryParseIndex(string text, out int index, [NotNullWhen(false)] out string? error)
    {
        index = 0;
        if (text.StartsWith('-'))
        {
            error = $"'{text}' is negative; indices start at 0";
            return false;
        }

        if (!text.All(char.IsAsciiDigit))
        {
            error = $"'{text}' is not a number";
            return false;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index) || index > MaxIndex)
        {
            error = $"'{text}' is too large (at most {MaxIndex})";
            return false;
        }

        error = null;
        return true;
    }

    private static bool Fail(string problem, out string error)
    {
        error = $"{problem}; expected {TargetSelector.Syntax}";
        return false;
    }
}
