using System.Diagnostics;
using System.Globalization;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Bench;

/// <summary>
/// Submit throughput (bench/submit-and-soak): CLIENTS clients, each with its own channel (its own
/// HTTP/2 connection, as separate client machines would have), submit COUNT tasks `true` in all,
/// each waiting for its answer before the next. The floor is the same calls over the same
/// connections with a read of one task (List, page size 1) instead of a submit: what gRPC and the
/// Host's call path cost without a database write.
/// </summary>
internal static class SubmitBench
{
    private static readonly V1.TaskState[] Active =
        [V1.TaskState.Queued, V1.TaskState.Assigned, V1.TaskState.Running, V1.TaskState.Paused];

    public static async Task<int> SubmitAsync(string host, int clients, int count, bool floor)
    {
        // The floor: the same calls over the same connections, but a read of one task instead of a
        // submit, so nothing is written — what gRPC and the Host's call path cost alone.
        var read = new V1.ListTasksRequest { PageSize = 1 };
        var spec = new V1.TaskSpec();
        spec.Argv.Add("true");
        var request = new V1.SubmitRequest { Spec = spec };
        var channels = Enumerable.Range(0, clients).Select(_ => BenchChannel.ForClient(host)).ToList();
        var next = 0;
        var latencies = new long[count];
        // One submit per client first, untimed: connections are set up before the clock starts.
        foreach (var channel in channels)
        {
            await CallAsync(new V1.Tasks.TasksClient(channel));
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(channels.Select(channel => Task.Run(async () =>
        {
            var tasks = new V1.Tasks.TasksClient(channel);
            int index;
            while ((index = Interlocked.Increment(ref next) - 1) < count)
            {
                var start = Stopwatch.GetTimestamp();
                await CallAsync(tasks);
                latencies[index] = Stopwatch.GetTimestamp() - start;
            }
        })));
        clock.Stop();
        var what = floor ? "reads (List of 1 task)" : "tasks";

        Array.Sort(latencies);
        var rate = count / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(floor ? "floor: " : "")}{count} {what} from {clients} clients in {clock.Elapsed.TotalSeconds:0.00} s: {rate:0}/s; one call p50 {Milliseconds(latencies[latencies.Length / 2]):0.0} ms, p99 {Milliseconds(latencies[latencies.Length * 99 / 100]):0.0} ms"));
        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        return 0;

        async Task CallAsync(V1.Tasks.TasksClient tasks)
        {
            if (floor)
            {
                await tasks.ListAsync(read);
            }
            else
            {
                await tasks.SubmitAsync(request);
            }
        }
    }

    public static async Task<int> CountActiveAsync(string host)
    {
        using var channel = BenchChannel.ForClient(host);
        var tasks = new V1.Tasks.TasksClient(channel);
        var active = 0;
        var request = new V1.ListTasksRequest { PageSize = 1000 };
        request.States.AddRange(Active);
        do
        {
            var page = await tasks.ListAsync(request);
            active += page.Tasks.Count;
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Console.WriteLine(active.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
