using System.Runtime.Versioning;

// systemd, cgroups and the sh wrapper exist only on Linux; saying so once lets the analyzers
// accept Unix-only APIs (file modes) throughout.
[assembly: SupportedOSPlatform("linux")]
