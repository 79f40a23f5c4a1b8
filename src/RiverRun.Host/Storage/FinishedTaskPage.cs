namespace RiverRun.Host.Storage;

/// <summary>One page of finished tasks in brief, most recently submitted first.</summary>
/// <param name="Tasks">The tasks.</param>
/// <param name="NextCursor">Where the next page starts; null when this page is the last.</param>
public sealed record FinishedTaskPage(IReadOnlyList<FinishedTaskSummary> Tasks, long? NextCursor);
