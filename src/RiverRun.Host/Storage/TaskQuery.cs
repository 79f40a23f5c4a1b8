using RiverRun.Core;

namespace RiverRun.Host.Storage;

/// <summary>Filters and paging of a task listing (newest first).</summary>
/// <param name="States">Only tasks in one of these states; empty for all.</param>
/// <param name="Node">Only tasks placed on this node; null for all.</param>
/// <param name="PageSize">At most this many tasks, at least 1.</param>
/// <param name="After">The cursor of the previous page (<see cref="TaskPage.NextCursor"/>); null for the first.</param>
public sealed record TaskQuery(IReadOnlyCollection<TaskState> States, string? Node, int PageSize, long? After);
