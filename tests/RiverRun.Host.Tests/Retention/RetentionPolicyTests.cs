using RiverRun.Core;
using RiverRun.Host.Retention;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Tests.Retention;

public sealed class RetentionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TaskIdGenerator Ids = new();

    [Fact]
    public void A_task_finished_longer_ago_than_the_keep_period_is_removed_and_a_recent_one_kept()
    {
        var policy = new RetentionPolicy(new RetentionRules(TimeSpan.FromDays(30), long.MaxValue), Now);

        Assert.False(policy.ShouldRemove(Finished(TimeSpan.FromDays(29), bytes: 10)));
        Assert.True(policy.ShouldRemove(Finished(TimeSpan.FromDays(31), bytes: 10)));
    }

    [Fact]
    public void The_newest_tasks_whose_output_fits_the_budget_are_kept_and_every_older_one_is_removed()
    {
        var policy = new RetentionPolicy(new RetentionRules(TimeSpan.FromDays(30), KeepOutputBytes: 100), Now);

        // Newest first, as the sweep calls it: 40 + 50 fit, 20 more would make 110.
        bool[] removed =
        [
            policy.ShouldRemove(Finished(TimeSpan.FromHours(1), bytes: 40)),
            policy.ShouldRemove(Finished(TimeSpan.FromHours(2), bytes: 50)),
            policy.ShouldRemove(Finished(TimeSpan.FromHours(3), bytes: 20)),
            // Small enough to fit the 10 bytes left, but older than a task already removed: space is freed oldest first.
            policy.ShouldRemove(Finished(TimeSpan.FromHours(4), bytes: 5)),
        ];

        Assert.Equal([false, false, true, true], removed);
    }

    [Fact]
    public void Tasks_without_output_are_kept_until_they_are_too_old_whatever_the_budget()
    {
        var policy = new RetentionPolicy(new RetentionRules(TimeSpan.FromDays(1), KeepOutputBytes: 0), Now);

        Assert.False(policy.ShouldRemove(Finished(TimeSpan.FromHours(1), bytes: 0)));
        Assert.True(policy.ShouldRemove(Finished(TimeSpan.FromDays(2), bytes: 0)));
    }

    [Fact]
    public void Age_is_judged_before_the_budget_so_an_old_task_never_counts_against_it()
    {
        var policy = new RetentionPolicy(new RetentionRules(TimeSpan.FromDays(1), KeepOutputBytes: 100), Now);

        Assert.True(policy.ShouldRemove(Finished(TimeSpan.FromDays(2), bytes: 90)));
        Assert.False(policy.ShouldRemove(Finished(TimeSpan.FromHours(1), bytes: 90)));
    }

    [Fact]
    public void An_output_size_the_runner_did_not_announce_counts_as_nothing()
    {
        var policy = new RetentionPolicy(new RetentionRules(TimeSpan.FromDays(1), KeepOutputBytes: 10), Now);

        Assert.False(policy.ShouldRemove(Finished(TimeSpan.FromHours(1), bytes: -1)));
        Assert.False(policy.ShouldRemove(Finished(TimeSpan.FromHours(1), bytes: 10)));
    }

    private static FinishedTaskSummary Finished(TimeSpan ago, long bytes) => new(Ids.Next(), Now - ago, bytes);
}
