namespace RiverRun.Host.Retention;

/// <summary>What one retention sweep removed.</summary>
/// <param name="TasksRemoved">Finished tasks removed with their history and output.</param>
/// <param name="OrphanFoldersRemoved">Output folders removed whose task was already gone.</param>
/// <param name="BytesFreed">Bytes of output files removed.</param>
public sealed record RetentionSweepResult(int TasksRemoved, int OrphanFoldersRemoved, long BytesFreed);
