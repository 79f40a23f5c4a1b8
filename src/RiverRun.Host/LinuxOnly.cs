using System.Runtime.Versioning;

// The Host runs as a systemd service (sd_notify, the watchdog, socket activation) on the Linux
// machines of the cluster; saying so once lets it use RiverRun.Systemd and Unix file modes.
[assembly: SupportedOSPlatform("linux")]
