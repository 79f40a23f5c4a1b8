using RiverRun.Core;

namespace RiverRun.Host.Storage;

/// <summary>A finished task in brief: what retention needs to decide about it.</summary>
/// <param name="Id">The task.</param>
/// <param name="FinishedAt">When it reached its final state.</param>
/// <param name="OutputBytes">Its stdout and stderr together, as the Runner announced them at the end (0 when unknown).</param>
public sealed record FinishedTaskSummary(TaskId Id, DateTimeOffset FinishedAt, long OutputBytes);
