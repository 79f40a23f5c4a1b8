using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using RiverRun.Contracts;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Bench;

/// <summary>
/// Many simulated Runners against one real Host, and a steady stream of submits across them:
/// what the Host costs (CPU, RSS) at cluster scale, and how quickly a submitted task reaches its
/// Runner (submit sent to StartTask received, both timed in this process).
/// </summary>
internal sealed class SimulatedRunnersBench(string host, int hostPid, int runners, double rate, double seconds, double taskSeconds, double cores)
{
    // Long enough for every Runner's first heartbeat and the Host to settle after the connect burst.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(10);

    public async Task<int> RunAsync()
    {
        if (hostPid <= 0 || !File.Exists($"/proc/{hostPid}/stat"))
        {
            throw new ArgumentException($"--host-pid {hostPid}: no such process; give the pid of the running `riverrun host`");
        }

        var startsReceived = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var fleet = new List<SimulatedRunner>();
        var connecting = Stopwatch.StartNew();
        for (var i = 0; i < runners; i++)
        {
            var runner = new SimulatedRunner(host, string.Create(CultureInfo.InvariantCulture, $"sim{i:0000}"), cores, TimeSpan.FromSeconds(taskSeconds), startsReceived);
            fleet.Add(runner);
            runner.Start();
        }

        try
        {
            await Task.WhenAll(fleet.Select(r => r.Registered)).WaitAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"simulated-runners: {runners} Runners registered in {connecting.Elapsed.TotalSeconds:0.0} s"));
            await Task.Delay(Settle).ConfigureAwait(false);

            var idleStart = ProcessSample.Read(hostPid);
            await Task.Delay(IdleWindow).ConfigureAwait(false);
            var idleEnd = ProcessSample.Read(hostPid);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"host idle with {runners} Runners (heartbeats only), {IdleWindow.TotalSeconds:0} s: CPU {idleEnd.CpuPercentSince(idleStart):0.00} % of a core, RSS {idleEnd.RssBytes / 1048576.0:0} MB"));

            var submitted = await SubmitAsync(startsReceived).ConfigureAwait(false);
            return Report(submitted, startsReceived, fleet);
        }
        finally
        {
            await Task.WhenAll(fleet.Select(r => r.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
    }

    private async Task<ConcurrentDictionary<string, long>> SubmitAsync(ConcurrentDictionary<string, long> startsReceived)
    {
        using var channel = HostChannel.Create(host, new HostChannelOptions());
        var tasks = new V1.Tasks.TasksClient(channel);
        await tasks.ListAsync(new V1.ListTasksRequest { PageSize = 1 });
        var spec = new V1.TaskSpec { Argv = { "true" }, Resources = new V1.Resources { Cores = 1 } };
        var submitted = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var answered = new ConcurrentBag<double>();
        var calls = new List<Task>();
        var total = (int)Math.Round(rate * seconds);
        var before = ProcessSample.Read(hostPid);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            // Paced against the clock, not by a fixed sleep: a slow submit does not slow the rate.
            var due = TimeSpan.FromSeconds(i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed).ConfigureAwait(false);
            }

            calls.Add(SubmitOneAsync(tasks, spec, submitted, answered));
        }

        await Task.WhenAll(calls).ConfigureAwait(false);
        // Every StartTask should be in by now; wait a little for stragglers before measuring.
        var wait = Stopwatch.StartNew();
        while (submitted.Keys.Any(id => !startsReceived.ContainsKey(id)) && wait.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        var after = ProcessSample.Read(hostPid);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"host while submitting {rate:0.#} tasks/s for {clock.Elapsed.TotalSeconds:0.0} s: CPU {after.CpuPercentSince(before):0.00} % of a core, RSS {after.RssBytes / 1048576.0:0} MB"));
        var answers = answered.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Submit calls (sent to answered): p50 {Percentile(answers, 50):0.0} ms, p99 {Percentile(answers, 99):0.0} ms, max {Percentile(answers, 100):0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host_cpu_percent={after.CpuPercentSince(before):0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host_rss_mb={after.RssBytes / 1048576.0:0}"));
        return submitted;
    }

    private static async Task SubmitOneAsync(V1.Tasks.TasksClient tasks, V1.TaskSpec spec, ConcurrentDictionary<string, long> submitted, ConcurrentBag<double> answered)
    {
        var sent = Stopwatch.GetTimestamp();
        var response = await tasks.SubmitAsync(new V1.SubmitRequest { Spec = spec }).ResponseAsync.ConfigureAwait(false);
        answered.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        submitted[response.Tasks[0].Id] = sent;
    }

    // The value at percentile p of an ascending list (nearest rank).
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Count) - 1))];

    private static int Report(ConcurrentDictionary<string, long> submitted, ConcurrentDictionary<string, long> startsReceived, List<SimulatedRunner> fleet)
    {
        var latencies = new List<double>();
        var missing = 0;
        foreach (var (id, sent) in submitted)
        {
            if (startsReceived.TryGetValue(id, out var received))
            {
                latencies.Add(Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds);
            }
            else
            {
                missing++;
            }
        }

        latencies.Sort();
        double Latency(double p) => Percentile(latencies, p);
        var nodesUsed = startsReceived.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"submit-to-start over {latencies.Count} tasks: p50 {Latency(50):0.0} ms, p99 {Latency(99):0.0} ms, max {Latency(100):0.0} ms; heartbeats sent {fleet.Sum(r => r.Heartbeats)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p50_ms={Latency(50):0.0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p99_ms={Latency(99):0.0}"));
        if (missing > 0)
        {
            Console.Error.WriteLine($"simulated-runners: {missing} of {submitted.Count} submitted task(s) never reached a Runner ({nodesUsed} StartTasks received)");
            return 1;
        }

        return 0;
    }
}
