namespace RiverRun.Systemd;

/// <summary>One row of <c>systemctl list-units</c>.</summary>
/// <param name="Name">Full unit name, e.g. "riverrun-abc.scope".</param>
/// <param name="Load">LOAD column, e.g. "loaded".</param>
/// <param name="Active">ACTIVE column, e.g. "active" or "failed".</param>
/// <param name="Sub">SUB column, e.g. "running" or "abandoned".</param>
/// <param name="Description">The rest of the line.</param>
public sealed record UnitListEntry(string Name, string Load, string Active, string Sub, string Description);
