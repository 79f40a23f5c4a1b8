using RiverRun.Contracts;

namespace RiverRun.Host.Security;

/// <summary>
/// Which OS account a submitted task runs as, decided from the caller's token: no task runs as
/// root unless an admin asked for it.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A user token runs tasks as one of its accounts (the first when the submit names none),
/// never as root; another account is refused with the list it may use.</item>
/// <item>An admin token runs tasks as whatever account is asked for, and otherwise as its first
/// account (`riverrun init token` gives the first admin root, an explicit choice).</item>
/// <item>Open access (no token exists) keeps what was asked: empty is the Runner's user, root.</item>
/// </list>
/// The check compares names exactly: the Host cannot know which uid a name has on a node, so a
/// user token that names a uid must have that uid among its accounts. Whether the account exists
/// is for the node to say when it launches the task (LAUNCH_FAILED otherwise).
/// </remarks>
public static class TaskUserPolicy
{
    /// <summary>The account the task runs as ("" = the Runner's own user); throws PermissionDenied when the caller may not use <paramref name="requested"/>.</summary>
    public static string Resolve(Caller caller, string requested)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(requested);
        if (caller.Name.Length == 0)
        {
            return requested;
        }

        switch (caller.Role)
        {
            case TokenRole.Admin:
                return requested.Length > 0 ? requested : caller.Accounts?.Default ?? string.Empty;
            case TokenRole.User:
                var accounts = caller.Accounts?.All ?? [caller.Name];
                if (requested.Length == 0)
                {
                    return accounts[0];
                }

                if (TaskAccounts.IsRoot(requested))
                {
                    throw RpcErrors.PermissionDenied(
                        $"spec.user: the token '{caller.Name}' is a user token, which never runs tasks as root ('{requested}'); it may run them as {string.Join(", ", accounts)}; only an admin token runs tasks as root");
                }

                if (!accounts.Contains(requested, StringComparer.Ordinal))
                {
                    throw RpcErrors.PermissionDenied(
                        $"spec.user: the token '{caller.Name}' may run tasks as {string.Join(", ", accounts)}, not as '{requested}'; drop --user, or ask an admin to add the account (`riverrun token create --accounts ...`)");
                }

                return requested;
            default:
                // Runner and viewer tokens may not submit at all (RpcPermissions refuses them first).
                throw RpcErrors.PermissionDenied($"the token '{caller.Name}' has role {caller.Role.ToName()}, which does not run tasks");
        }
    }
}
