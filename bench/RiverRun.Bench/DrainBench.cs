using System.Diagnostics;
using System.Globalization;
using RiverRun.Contracts;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Bench;

/// <summary>
/// Submits many short tasks to one node at once and measures how long the Host and the Runner
/// take to get through them: from the first submit to the last task's finished_at (the Runner's
/// clock, the same machine's). Waiting for the end polls the Host's list, but the figure does not
/// depend on the polling: it comes from the tasks' own end times.
/// </summary>
internal sealed class DrainBench(string host, string node, int count, double cores)
{
    // The Host takes at most this many targets in one submit.
    private const int TargetsPerSubmit = 100;

    public async Task<int> RunAsync()
    {
        using var channel = BenchChannel.ForClient(host);
        var tasks = new V1.Tasks.TasksClient(channel);
        // One call first, so connecting is not part of the figure.
        await tasks.ListAsync(new V1.ListTasksRequest { PageSize = 1 });

        var spec = new V1.TaskSpec { Argv = { "true" }, Resources = new V1.Resources { Cores = cores } };
        var submits = new List<Task<V1.SubmitResponse>>();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        for (var sent = 0; sent < count; sent += TargetsPerSubmit)
        {
            var request = new V1.SubmitRequest { Spec = spec };
            for (var i = sent; i < Math.Min(count, sent + TargetsPerSubmit); i++)
            {
                request.Targets.Add(new V1.TargetSelector { Node = node });
            }

            submits.Add(tasks.SubmitAsync(request).ResponseAsync);
        }

        var ids = (await Task.WhenAll(submits)).SelectMany(r => r.Tasks).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var submitted = clock.Elapsed;
        var active = new V1.ListTasksRequest
        {
            States = { V1.TaskState.Queued, V1.TaskState.Assigned, V1.TaskState.Running, V1.TaskState.Paused },
            PageSize = 1000,
        };
        while ((await tasks.ListAsync(active)).Tasks.Any(t => ids.Contains(t.Id)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
        }

        var seen = clock.Elapsed;
        var ended = new List<V1.TaskInfo>();
        foreach (var id in ids)
        {
            ended.Add(await tasks.GetAsync(new V1.GetTaskRequest { TaskId = id }));
        }

        var failed = ended.Where(t => t.State != V1.TaskState.Succeeded).ToList();
        var last = ended.Max(t => t.FinishedAt.ToDateTimeOffset());
        var drain = last - started;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"drain: {ids.Count} tasks on {node}: submitted in {submitted.TotalMilliseconds:0} ms, last finished_at {drain.TotalSeconds:0.000} s after the first submit (seen ended by polling at {seen.TotalSeconds:0.000} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"drain_seconds={drain.TotalSeconds:0.000}"));
        if (failed.Count > 0)
        {
            await Console.Error.WriteLineAsync($"drain: {failed.Count} task(s) did not succeed, e.g. {failed[0].Id}: {failed[0].State} {failed[0].Reason}").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }
}
