using Microsoft.Extensions.Logging;
using RiverRun.Core;
using RiverRun.Host.Output;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Retention;

/// <summary>
/// One pass of retention: removes the finished tasks <see cref="RetentionPolicy"/> picks (record,
/// history and output), then output folders no task owns any more.
/// </summary>
/// <remarks>
/// The record goes first and the files after: a crash in between leaves folders without a task,
/// which the orphan pass of the next sweep removes, never a task whose output silently vanished.
/// Work is done a page at a time so a sweep over a million tasks holds neither the database nor
/// much memory for long.
/// </remarks>
public sealed class RetentionSweep(ITaskStore store, OutputLogStore output, RetentionRules rules, TimeProvider clock, ILogger<RetentionSweep> logger)
{
    /// <summary>Tasks read (and at most removed) per database call by default.</summary>
    public const int DefaultPageSize = 500;

    /// <summary>Tasks read (and at most removed) per database call.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>Runs one sweep; returns what it removed.</summary>
    public async Task<RetentionSweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var policy = new RetentionPolicy(rules, clock.GetUtcNow());
        var removed = 0;
        long freed = 0;
        long? cursor = null;
        do
        {
            var page = await store.ListFinishedAsync(cursor, PageSize, cancellationToken);
            var doomed = page.Tasks.Where(policy.ShouldRemove).Select(task => task.Id).ToList();
            if (doomed.Count > 0)
            {
                removed += await store.DeleteFinishedAsync(doomed, cancellationToken);
                foreach (var id in doomed)
                {
                    freed += output.Delete(id);
                }
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var orphans = 0;
        foreach (var batch in output.ListTaskFolders().Chunk(PageSize))
        {
            var existing = await store.FindExistingAsync(batch, cancellationToken);
            foreach (var id in batch.Where(id => !existing.Contains(id)))
            {
                freed += output.Delete(id);
                orphans++;
            }
        }

        var result = new RetentionSweepResult(removed, orphans, freed);
        if (removed > 0 || orphans > 0)
        {
            LogSwept(result);
        }

        return result;
    }

    private void LogSwept(RetentionSweepResult result)
    {
        var freed = new ByteSize(result.BytesFreed).ToString();
        var keepFor = DurationParser.Format(rules.KeepFinishedFor);
        var keepOutput = new ByteSize(rules.KeepOutputBytes).ToString();
        RetentionLog.Swept(logger, result.TasksRemoved, result.OrphanFoldersRemoved, freed, keepFor, keepOutput);
    }
}
