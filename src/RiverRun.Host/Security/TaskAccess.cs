namespace RiverRun.Host.Security;

/// <summary>
/// What a caller may do with one task, given the task's owner. Pure policy: admins everything;
/// users their own tasks; viewers read everything and control nothing; runners no task at all.
/// </summary>
public static class TaskAccess
{
    /// <summary>Whether <paramref name="caller"/> may see the task's spec, output and details (not just id, owner and state).</summary>
    public static bool MayRead(Caller caller, string owner)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Role switch
        {
            TokenRole.Admin or TokenRole.Viewer => true,
            TokenRole.User => IsOwner(caller, owner),
            _ => false,
        };
    }

    /// <summary>Whether <paramref name="caller"/> may kill, pause or resume the task.</summary>
    public static bool MayControl(Caller caller, string owner)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Role switch
        {
            TokenRole.Admin => true,
            TokenRole.User => IsOwner(caller, owner),
            _ => false,
        };
    }

    /// <summary>
    /// Whether a runner token may register as <paramref name="node"/>: its bound node, or an instance
    /// of it ("node2-gpu0" for a token bound to node2), which shares that machine's root anyway.
    /// </summary>
    public static bool MayRegisterAs(Caller caller, string node)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(node);
        return caller.Role switch
        {
            TokenRole.Admin => true,
            TokenRole.Runner when caller.Node is { Length: > 0 } bound =>
                string.Equals(node, bound, StringComparison.Ordinal)
                || (node.Length > bound.Length + 1 && node.StartsWith(bound + "-", StringComparison.Ordinal)),
            _ => false,
        };
    }

    // Tasks submitted under open access have no owner: only an admin controls those.
    private static bool IsOwner(Caller caller, string owner) =>
        caller.Name.Length > 0 && string.Equals(caller.Name, owner, StringComparison.Ordinal);
}
