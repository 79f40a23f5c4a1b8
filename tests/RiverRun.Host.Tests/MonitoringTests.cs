using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using RiverRun.Contracts;
using RiverRun.Core;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

// Alone: OpenTelemetry listens to every meter of its name in the process, so another test's Host
// running tasks at the same time would move these counters too.
[CollectionDefinition(nameof(MonitoringTests), DisableParallelization = true)]
public sealed class MonitoringTestsRunAlone;

/// <summary>/healthz and /metrics on the Host's plain HTTP endpoint, through the real server.</summary>
[Collection(nameof(MonitoringTests))]
public sealed partial class MonitoringTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("riverrun-monitoring-tests-").FullName;
    private readonly HttpClient _http = new() { Timeout = FakeRunner.Patience };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Healthz_answers_200_healthy_over_http_1_1_while_the_store_and_scheduler_are_healthy()
    {
        await using var host = await TestHost.StartAsync(_directory);

        using var response = await _http.GetAsync(new Uri(host.HttpAddress!, "/healthz"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal("healthy\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_answers_503_naming_the_store_when_the_store_does_not_answer()
    {
        await using var host = await TestHost.StartAsync(_directory, configure: services =>
            services.AddSingleton<ITaskStore>(sp => new UnansweringStore(new SqliteTaskStore(sp.GetRequiredService<HostDataDirectory>().Path, TimeProvider.System))));

        using var response = await _http.GetAsync(new Uri(host.HttpAddress!, "/healthz"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy; store: the task store does not answer: database is locked (test)\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_are_in_prometheus_text_format_with_every_riverrun_metric()
    {
        await using var host = await TestHost.StartAsync(_directory);
        await using var runner = await FakeRunner.ConnectAsync(host, "node1", cores: 4, memory: 8L << 30);

        using var response = await _http.GetAsync(new Uri(host.HttpAddress!, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        foreach (var name in new[]
        {
            "riverrun_tasks", "riverrun_queue_length", "riverrun_nodes_connected", "riverrun_task_launches_total",
            "riverrun_task_launch_failures_total", "riverrun_output_received_bytes_total",
            "riverrun_node_allocated_cores", "riverrun_node_allocated_memory_bytes", "riverrun_node_capacity_cores",
            "riverrun_node_capacity_memory_bytes", "riverrun_tasks_ended_total",
        })
        {
            Assert.Contains($"# TYPE {name} ", text, StringComparison.Ordinal);
        }

        Assert.Equal(1, Value(text, "riverrun_nodes_connected"));
        Assert.Equal(4, Value(text, "riverrun_node_capacity_cores", "node=\"node1\""));
        Assert.Equal(8L << 30, Value(text, "riverrun_node_capacity_memory_bytes", "node=\"node1\""));
        Assert.Equal(0, Value(text, "riverrun_tasks", "state=\"queued\""));
        Assert.Equal(0, Value(text, "riverrun_tasks_ended_total", "state=\"oom_killed\""));
        // The latency histogram has nothing to show before a first start (see the next test).
        Assert.DoesNotContain("riverrun_task_start_latency", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_include_the_runtimes_own_process_memory_gc_heap_and_cpu_time()
    {
        await using var host = await TestHost.StartAsync(_directory);

        using var response = await _http.GetAsync(new Uri(host.HttpAddress!, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();

        foreach (var name in new[]
        {
            "dotnet_process_memory_working_set_bytes", "dotnet_process_cpu_time_seconds_total",
            "dotnet_gc_collections_total", "dotnet_gc_last_collection_memory_committed_size_bytes", "dotnet_gc_pause_time_seconds_total",
        })
        {
            Assert.Contains($"# TYPE {name} ", text, StringComparison.Ordinal);
        }

        Assert.InRange(Value(text, "dotnet_process_memory_working_set_bytes"), 1 << 20, 1L << 40);
    }

    [Fact]
    public async Task A_task_that_runs_moves_the_gauges_while_it_runs_and_the_counters_and_latency_when_it_started_and_ended()
    {
        await using var host = await TestHost.StartAsync(_directory);
        await using var runner = await FakeRunner.ConnectAsync(host, "node1", cores: 4, memory: 8L << 30);
        var before = await ScrapeAsync(host);
        var request = new V1.SubmitRequest { Spec = TestTasks.Spec(1.5, 256L << 20, "echo", "hi") };
        request.Targets.Add(new V1.TargetSelector { Node = "node1" });
        var id = Assert.Single((await host.Tasks.SubmitAsync(request)).Tasks).Id;

        await runner.WaitForStartAsync();
        await runner.StartedAsync(id);
        await runner.OutputAsync(id, V1.OutputStream.Stdout, 0, "hello\n"u8.ToArray());
        await runner.WaitForAckAsync(id, 6, 0);
        var running = await ScrapeAsync(host);
        await runner.ExitedAsync(id, V1.TaskState.Succeeded, 0, stdout: 6, stderr: 0);
        await WaitForStateAsync(host, id, V1.TaskState.Succeeded);
        var after = await ScrapeAsync(host);

        Assert.Equal(1, Value(running, "riverrun_tasks", "state=\"running\""));
        Assert.Equal(1.5, Value(running, "riverrun_node_allocated_cores", "node=\"node1\""));
        Assert.Equal(256L << 20, Value(running, "riverrun_node_allocated_memory_bytes", "node=\"node1\""));
        Assert.Equal(Value(before, "riverrun_task_launches_total") + 1, Value(running, "riverrun_task_launches_total"));
        Assert.Equal(Value(before, "riverrun_task_start_latency_seconds_count") + 1, Value(running, "riverrun_task_start_latency_seconds_count"));
        Assert.Equal(Value(before, "riverrun_output_received_bytes_total") + 6, Value(running, "riverrun_output_received_bytes_total"));
        Assert.Equal(0, Value(after, "riverrun_tasks", "state=\"running\""));
        Assert.Equal(0, Value(after, "riverrun_node_allocated_cores", "node=\"node1\""));
        Assert.Equal(1, Value(after, "riverrun_tasks_ended_total", "state=\"succeeded\""));
        Assert.Equal(Value(before, "riverrun_task_launch_failures_total"), Value(after, "riverrun_task_launch_failures_total"));
    }

    [Fact]
    public async Task Healthz_and_metrics_are_not_served_on_the_grpc_port()
    {
        await using var host = await TestHost.StartAsync(_directory);
        using var http2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        foreach (var path in new[] { "/healthz", "/metrics" })
        {
            using var response = await http2.GetAsync(new Uri(host.GrpcAddress, path));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Grpc_is_not_served_on_the_http_port()
    {
        await using var host = await TestHost.StartAsync(_directory);

        // A gRPC client cannot even speak to it (HTTP/1.1 only) ...
        using var channel = HostChannel.Create(host.HttpAddress!.ToString(), new HostChannelOptions());
        var call = new V1.Nodes.NodesClient(channel).ListAsync(new V1.ListNodesRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
        // ... and a gRPC path asked over HTTP/1.1 is not found there.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.HttpAddress, "/riverrun.v1.Nodes/List"));
        request.Content = new ByteArrayContent([0, 0, 0, 0, 0]);
        request.Content.Headers.ContentType = new("application/grpc");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task With_http_listen_none_there_is_no_http_endpoint_and_grpc_still_serves()
    {
        await using var host = await TestHost.StartAsync(_directory, http: false);

        Assert.Null(host.HttpAddress);
        Assert.Empty((await host.Nodes.ListAsync(new V1.ListNodesRequest())).Nodes);
        using var http2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http2.GetAsync(new Uri(host.GrpcAddress, "/healthz"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> ScrapeAsync(TestHost host)
    {
        using var response = await _http.GetAsync(new Uri(host.HttpAddress!, "/metrics"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task WaitForStateAsync(TestHost host, string id, V1.TaskState state)
    {
        using var timeout = new CancellationTokenSource(FakeRunner.Patience);
        while ((await host.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = id }, cancellationToken: timeout.Token)).State != state)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels contain <paramref name="label"/>; 0 when absent (a counter never moved).</summary>
    private static double Value(string text, string name, string? label = null)
    {
        var samples = SampleLine().Matches(text)
            .Where(m => m.Groups["name"].Value == name && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            .ToList();
        Assert.True(samples.Count <= 1, $"{samples.Count} samples of {name} {label}:\n{text}");
        return samples.Count == 0 ? 0 : double.Parse(samples[0].Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    /// <summary>The real store, except that its health read fails as a locked or broken database does.</summary>
    private sealed class UnansweringStore(SqliteTaskStore inner) : DelegatingTaskStore(inner), IDisposable
    {
        public void Dispose() => inner.Dispose();

        public override Task CheckAsync(CancellationToken cancellationToken = default) => throw new InvalidOperationException("database is locked (test)");
    }
}
