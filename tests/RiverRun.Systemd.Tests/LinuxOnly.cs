using System.Runtime.Versioning;

// The code under test is Linux-only (systemd, cgroups, sh).
[assembly: SupportedOSPlatform("linux")]
