namespace RiverRun.Host.Security;

/// <summary>One token as the Host keeps it: everything but the secret, which is never stored.</summary>
/// <param name="Name">Unique; what tasks record as their owner and audit lines name.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Node">For a runner token, the node it may register as; null otherwise.</param>
/// <param name="ExpiresAt">When it stops working; null for never.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Accounts">
/// For user and admin tokens, the OS accounts its tasks may run as (first = default); null for
/// runner and viewer tokens, and for a user token stored before accounts existed (then its name).
/// </param>
public sealed record TokenRecord(string Name, TokenRole Role, string? Node, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt, TaskAccounts? Accounts = null)
{
    /// <summary>Whether it has expired at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && now >= expires;
}
