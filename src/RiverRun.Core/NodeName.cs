using System.Diagnostics.CodeAnalysis;

namespace RiverRun.Core;

/// <summary>
/// The rule for node (Runner) names: 1 to <see cref="MaxLength"/> characters of letters, digits,
/// '-', '_' and '.', starting with a letter or digit.
/// </summary>
/// <remarks>
/// Names appear in target text ("node1:0"), slice and unit names, log lines and file paths, so
/// they exclude ':' and ',' (the target syntax's separators), whitespace, '/' and anything that
/// would need quoting; a leading '-' or '.' would read as an option or a hidden file.
/// </remarks>
public static class NodeName
{
    /// <summary>The longest node name allowed.</summary>
    public const int MaxLength = 64;

    /// <summary>What a node name may look like, for error messages.</summary>
    public const string Rule = "1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit";

    /// <summary>Whether <paramref name="name"/> is a valid node name.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name) => Validate(name) is null;

    /// <summary>Null when <paramref name="name"/> is valid, otherwise what is wrong with it.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"node name is empty; a node name is {Rule}";
        }

        if (name.Length > MaxLength)
        {
            return $"node name '{name}' has {name.Length} characters; a node name is {Rule}";
        }

        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            return $"node name '{name}' starts with '{name[0]}'; a node name is {Rule}";
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return $"node name '{name}' contains {Describe(c)}; a node name is {Rule}";
            }
        }

        return null;
    }

    private static string Describe(char c) => char.IsWhiteSpace(c) ? "a space" : $"'{c}'";
}
