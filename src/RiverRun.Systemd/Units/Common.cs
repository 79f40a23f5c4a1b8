namespace RiverRun.Systemd.Units;

/// <summary>The directives the Host and Runner services share, with the same reasons.</summary>
internal static class Common
{
    /// <summary>The shared [Unit] directives: restart limits and OnFailure=.</summary>
    public static void UnitSection(UnitTextBuilder builder, ServiceUnitOptions options)
    {
        builder.Directive("StartLimitIntervalSec", "0",
            "No cap on restarts: a service that keeps failing keeps being retried every RestartSec.");
        if (options.OnFailure is { } unit)
        {
            builder.Directive("OnFailure", unit, "Started when this service fails (--on-failure).");
        }
    }

    /// <summary>The shared [Service] directives: readiness, watchdog, restarts, the tokens file.</summary>
    public static void Lifecycle(UnitTextBuilder builder, string readyWhen, string loop)
    {
        builder
            .Directive("Type", "notify", $"READY=1 is sent once {readyWhen}; `systemctl start` returns then.")
            .Directive("NotifyAccess", "main", "Only riverrun itself may notify systemd, not a process it starts.")
            .Directive("WatchdogSec", "30s",
                $"WATCHDOG=1 is sent only while {loop} is alive: a hung process is restarted, a busy one is not.")
            .Directive("TimeoutAbortSec", "5s",
                "After a missed watchdog systemd sends SIGABRT; a process that is stopped or hung may never act on it,\nso SIGKILL follows after 5 s (not TimeoutStopSec's 90 s) and the restart comes soon.")
            .Directive("Restart", "always")
            .Directive("RestartSec", "2")
            .Directive("RestartPreventExitStatus", "2",
                "riverrun exits 2 on an invalid configuration, which a restart cannot fix:\nfix the file, then `systemctl restart`.")
            .Directive("EnvironmentFile", "-" + ServiceUnitOptions.EnvironmentFilePath,
                "Tokens (RIVERRUN_TOKEN=...): a 0600 root-owned file systemd reads; never on a command line.\n\"-\": optional.");
    }
}
