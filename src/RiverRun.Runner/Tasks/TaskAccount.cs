namespace RiverRun.Runner.Tasks;

/// <summary>The user a task runs as, from the node's user database.</summary>
/// <param name="Name">The user name (systemd-run gets the name, not a uid, so USER is a name).</param>
/// <param name="Home">The home directory.</param>
/// <param name="Shell">The login shell.</param>
/// <param name="HomeExists">Whether the home directory exists on this node (it is the default working directory).</param>
internal sealed record TaskAccount(string Name, string Home, string Shell, bool HomeExists);
