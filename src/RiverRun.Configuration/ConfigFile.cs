namespace RiverRun.Configuration;

/// <summary>A configuration file to layer in: its path, whether it may be missing, and how to create it when it must not.</summary>
/// <param name="Path">The file.</param>
/// <param name="Optional">True for a default location (missing means no settings); false for a file the user named.</param>
/// <param name="MissingHint">How to make the file, added to the error when a required file is missing.</param>
public sealed record ConfigFile(string Path, bool Optional, string? MissingHint = null);
