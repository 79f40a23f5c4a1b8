using System.Runtime.Versioning;

// The Host is Linux-only; so are its tests.
[assembly: SupportedOSPlatform("linux")]
