namespace RiverRun.Systemd.Units;

/// <summary>One generated unit file: its name (e.g. "riverrun-host.service") and its whole text.</summary>
public sealed record UnitFile(string FileName, string Text);
