namespace RiverRun.Host.Security;

/// <summary>Who a call is meant for: the role a call needs.</summary>
public enum CallerRole
{
    /// <summary>Users and the CLI: Tasks and Nodes.</summary>
    Client,

    /// <summary>Runners: the Runners stream.</summary>
    Runner,
}
