using System.Runtime.Versioning;

// The riverrun executable is Linux-only (it carries the Runner); so are its tests.
[assembly: SupportedOSPlatform("linux")]
