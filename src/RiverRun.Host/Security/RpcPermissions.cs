using System.Collections.Frozen;

namespace RiverRun.Host.Security;

/// <summary>
/// Which roles may call which RPC: the one table the Host's authorization reads. Pure: the
/// interceptor supplies the method the call was routed to; what a caller may do with a given task
/// (its own or another's) is <see cref="TaskAccess"/>'s.
/// </summary>
/// <remarks>
/// A RiverRun method missing from the table is refused to every role but admin (fail closed): a new
/// RPC stays admin-only until someone decides who else may call it, and a unit test lists every
/// RPC of the contract against this table.
/// </remarks>
public static class RpcPermissions
{
    private const string Tasks = "riverrun.v1.Tasks/";
    private const string Nodes = "riverrun.v1.Nodes/";
    private const string Runners = "riverrun.v1.Runners/";
    private const string Tokens = "riverrun.v1.Tokens/";

    private static readonly TokenRole[] Readers = [TokenRole.Admin, TokenRole.User, TokenRole.Viewer];
    private static readonly TokenRole[] TaskOwners = [TokenRole.Admin, TokenRole.User];

    private static readonly FrozenDictionary<string, TokenRole[]> Table = new Dictionary<string, TokenRole[]>(StringComparer.Ordinal)
    {
        [Tasks + "Submit"] = TaskOwners,
        [Tasks + "Get"] = Readers,
        [Tasks + "List"] = Readers,
        [Tasks + "WatchOutput"] = Readers,
        [Tasks + "Kill"] = TaskOwners,
        [Tasks + "Pause"] = TaskOwners,
        [Tasks + "Resume"] = TaskOwners,
        [Nodes + "List"] = Readers,
        // An admin may connect too (a quick test Runner); a runner token only as its own node.
        [Runners + "Connect"] = [TokenRole.Admin, TokenRole.Runner],
        [Tokens + "Create"] = [TokenRole.Admin],
        [Tokens + "List"] = [TokenRole.Admin],
        [Tokens + "Revoke"] = [TokenRole.Admin],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether RiverRun calls of <paramref name="serviceName"/> need a token at all (health and reflection do not).</summary>
    public static bool NeedsToken(string serviceName)
    {
        ArgumentNullException.ThrowIfNull(serviceName);
        return serviceName.StartsWith("riverrun.", StringComparison.Ordinal);
    }

    /// <summary>Whether a token of <paramref name="role"/> may call <paramref name="serviceName"/>/<paramref name="methodName"/>.</summary>
    public static bool Allows(TokenRole role, string serviceName, string methodName)
    {
        ArgumentNullException.ThrowIfNull(serviceName);
        ArgumentNullException.ThrowIfNull(methodName);
        return role == TokenRole.Admin
            || (Table.TryGetValue(serviceName + "/" + methodName, out var roles) && roles.Contains(role));
    }

    /// <summary>The roles that may call the method, for refusal messages ("needs an admin or user token").</summary>
    public static IReadOnlyList<TokenRole> RolesFor(string serviceName, string methodName) =>
        Table.TryGetValue(serviceName + "/" + methodName, out var roles) ? roles : [TokenRole.Admin];
}
