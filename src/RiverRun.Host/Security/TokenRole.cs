namespace RiverRun.Host.Security;

/// <summary>What a token may do. The numbers are stored in the tokens table: never renumber.</summary>
public enum TokenRole
{
    /// <summary>Everything, including token management and any task.</summary>
    Admin = 1,

    /// <summary>Submit, and read and control its own tasks; sees other tasks only as id, owner and state.</summary>
    User = 2,

    /// <summary>Only Runners/Connect, and only as the node bound to the token (or that machine's instances).</summary>
    Runner = 3,

    /// <summary>Read-only: tasks, their output, nodes.</summary>
    Viewer = 4,
}

/// <summary>The names of <see cref="TokenRole"/> as the CLI and the wire spell them.</summary>
public static class TokenRoles
{
    /// <summary>Every role, in the order help texts list them.</summary>
    public static IReadOnlyList<TokenRole> All { get; } = [TokenRole.Admin, TokenRole.User, TokenRole.Runner, TokenRole.Viewer];

    /// <summary>"admin", "user", "runner" or "viewer".</summary>
    public static string ToName(this TokenRole role) => role switch
    {
        TokenRole.Admin => "admin",
        TokenRole.User => "user",
        TokenRole.Runner => "runner",
        TokenRole.Viewer => "viewer",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a token role"),
    };

    /// <summary>The role named <paramref name="name"/> (any letter case); false when there is none.</summary>
    public static bool TryParse(string? name, out TokenRole role)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToName(), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }
}
