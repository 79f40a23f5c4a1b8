namespace RiverRun.Host.Security;

/// <summary>Who made a call: the token it presented (never its secret), as the interceptor found it.</summary>
/// <param name="Name">The token's name; empty under open access (no tokens on the Host).</param>
/// <param name="Role">The token's role; admin under open access.</param>
/// <param name="Node">A runner token's node; null otherwise.</param>
/// <param name="ExpiresAt">When the token stops working; null for never.</param>
/// <param name="Accounts">The OS accounts its tasks may run as (see <see cref="TokenRecord.Accounts"/>); null under open access.</param>
public sealed record Caller(string Name, TokenRole Role, string? Node, DateTimeOffset? ExpiresAt, TaskAccounts? Accounts = null)
{
    /// <summary>The caller of every call while the Host has no tokens: trusted with everything, as before tokens existed.</summary>
    public static Caller OpenAccess { get; } = new(string.Empty, TokenRole.Admin, null, null);

    /// <summary>The caller a token stands for.</summary>
    public static Caller For(TokenRecord token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new Caller(token.Name, token.Role, token.Node, token.ExpiresAt, token.Accounts);
    }

    /// <summary>How audit lines name it.</summary>
    public string Display => Name.Length == 0 ? "(open access)" : $"{Name} ({Role.ToName()})";
}
