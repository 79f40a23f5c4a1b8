using RiverRun.Host.Storage;

namespace RiverRun.Host.Retention;

/// <summary>
/// Decides which finished tasks to remove, one task at a time, newest first. Pure: the clock and
/// the tasks are given, so every rule is unit-tested without a database.
/// </summary>
/// <remarks>
/// Order of precedence, for each finished task from the most recently submitted to the oldest:
/// <list type="number">
/// <item>finished longer ago than <see cref="RetentionRules.KeepFinishedFor"/>: removed;</item>
/// <item>its output would take the output of the tasks kept so far beyond
///   <see cref="RetentionRules.KeepOutputBytes"/>: removed, and so is every older task (the budget
///   keeps the newest tasks whose output fits together, and frees space oldest first);</item>
/// <item>otherwise kept, and its output counts against the budget.</item>
/// </list>
/// Tasks that have not ended are never candidates: retention only ever sees final tasks, whose
/// records never change again.
/// One instance serves one sweep: it carries the bytes kept so far from page to page.
/// </remarks>
public sealed class RetentionPolicy(RetentionRules rules, DateTimeOffset now)
{
    private readonly DateTimeOffset _finishedBefore = now - rules.KeepFinishedFor;
    private long _keptBytes;
    private bool _budgetSpent;

    /// <summary>Whether to remove <paramref name="task"/>; call for each finished task, newest first.</summary>
    public bool ShouldRemove(FinishedTaskSummary task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.FinishedAt < _finishedBefore)
        {
            return true;
        }

        var bytes = Math.Max(0, task.OutputBytes);
        if (_budgetSpent || bytes > rules.KeepOutputBytes - _keptBytes)
        {
            _budgetSpent = true;
            return true;
        }

        _keptBytes += bytes;
        return false;
    }
}
