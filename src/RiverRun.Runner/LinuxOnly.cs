using System.Runtime.Versioning;

// The Runner drives systemd scopes and reads /proc and /sys: it exists only on Linux. Saying so
// once lets the analyzers accept Unix-only APIs (file modes) throughout.
[assembly: SupportedOSPlatform("linux")]
