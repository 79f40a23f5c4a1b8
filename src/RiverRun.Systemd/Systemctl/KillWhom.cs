namespace RiverRun.Systemd;

/// <summary>Which processes of a unit <c>systemctl kill</c> signals (--kill-whom=).</summary>
public enum KillWhom
{
    /// <summary>Every process in the unit's cgroup: grandchildren included. The right choice for a task scope.</summary>
    All,

    /// <summary>Only the main process (scopes have none, so rarely useful here).</summary>
    Main,
}
