using System.Runtime.Versioning;

// The Runner is Linux-only; so are its tests (file modes, sh stand-ins).
[assembly: SupportedOSPlatform("linux")]
