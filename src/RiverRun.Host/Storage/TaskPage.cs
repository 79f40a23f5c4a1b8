namespace RiverRun.Host.Storage;

/// <summary>One page of a task listing.</summary>
/// <param name="Tasks">The tasks, newest first.</param>
/// <param name="NextCursor">Where the next page starts; null when this page is the last.</param>
public sealed record TaskPage(IReadOnlyList<TaskRecord> Tasks, long? NextCursor);
