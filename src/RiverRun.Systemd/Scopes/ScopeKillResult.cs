namespace RiverRun.Systemd;

/// <summary>How <see cref="ScopeSignals.KillScopeAsync"/> ended the scope.</summary>
public enum ScopeKillResult
{
    /// <summary>The scope had no processes left when asked.</summary>
    AlreadyGone,

    /// <summary>The processes ended within the grace period after SIGTERM.</summary>
    EndedWithinGrace,

    /// <summary>Processes were still there after the grace period and got SIGKILL.</summary>
    Killed,
}
