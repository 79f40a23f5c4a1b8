namespace RiverRun.Bench;

/// <summary>What the relay server was started with, for its calls.</summary>
/// <param name="Directory">Where Send stores each task's bytes (TASK.out).</param>
internal sealed record RelayOptions(string Directory);
