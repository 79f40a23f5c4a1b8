using System.Runtime.Versioning;

// riverrun is one executable for client, Host and Runner, and the Runner exists only on Linux
// (systemd scopes, cgroups); RiverRun targets Linux machines throughout.
[assembly: SupportedOSPlatform("linux")]
