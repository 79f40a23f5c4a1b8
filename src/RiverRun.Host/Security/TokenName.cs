using RiverRun.Core;

namespace RiverRun.Host.Security;

/// <summary>
/// The rule for token names: the same characters as node names (<see cref="NodeName.Rule"/>), for
/// the same reasons: they stand in log lines, listings and a task's owner column unquoted.
/// </summary>
public static class TokenName
{
    /// <summary>Null when <paramref name="name"/> is a valid token name, otherwise what is wrong with it.</summary>
    public static string? Validate(string? name) =>
        NodeName.Validate(name)?.Replace("node name", "token name", StringComparison.Ordinal);
}
