using RiverRun.Core;

namespace RiverRun.Host.Runners;

/// <summary>What became of a Runner's TaskExited report.</summary>
/// <param name="Id">The task it was about.</param>
/// <param name="EndPersisted">
/// Whether the task's final state is stored now (by this report or before it): one of the two
/// conditions for telling the Runner to drop the task's spool, the other being its whole output stored.
/// </param>
public readonly record struct ExitedTask(TaskId Id, bool EndPersisted);
