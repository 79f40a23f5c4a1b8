using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RiverRun.Core;

namespace RiverRun.Host.Monitoring;

/// <summary>
/// The Host's metrics, as System.Diagnostics.Metrics instruments of the meter
/// <see cref="MeterName"/>; <c>GET /metrics</c> exports them in Prometheus text format
/// (see <see cref="MonitoringEndpoints"/>). Counters and the start-latency histogram move where events happen (one small
/// call from <see cref="Tasks.TaskLifecycle"/> and <see cref="Runners.RunnerReports"/>); gauges read
/// the <see cref="ClusterSnapshot"/> published just before each scrape. The histogram appears once a
/// first task has started.
/// </summary>
/// <remarks>
/// Names follow OpenTelemetry's conventions; the exporter turns "riverrun.task.launches" into
/// <c>riverrun_task_launches_total</c> and adds unit suffixes (<c>_seconds</c>, <c>_bytes</c>).
/// System.Diagnostics.Metrics needs no reflection, so this survives trimming and NativeAOT.
/// </remarks>
public sealed class HostMetrics : IDisposable
{
    /// <summary>The meter every instrument belongs to (what the exporter listens to).</summary>
    public const string MeterName = "RiverRun.Host";

    // From a scope that starts at once (~20 ms) to a Runner that reconnects after a minute.
    private static readonly double[] StartLatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private static readonly TaskState[] FinalStates = [.. Enum.GetValues<TaskState>().Where(state => state.IsFinal())];

    private readonly Meter _meter;
    private readonly TimeProvider _clock;
    private readonly Histogram<double> _startLatency;
    private readonly ConcurrentDictionary<TaskState, long> _ended = new();

    // Counters are observed from these sums rather than recorded as they happen, so that each one is
    // exported from the start, 0 included: Prometheus' rate() and alerts need the series to exist
    // before the first event, and a recorded counter only appears after its first.
    private long _launches;
    private long _launchFailures;
    private long _outputBytes;

    // When each ASSIGNED task was placed, for the latency to its start. In memory: a task placed
    // before a Host restart is simply not measured. An entry leaves when its task leaves ASSIGNED.
    private readonly ConcurrentDictionary<TaskId, long> _assignedAt = new();
    private volatile ClusterSnapshot _cluster = ClusterSnapshot.Empty;

    /// <summary>Creates the instruments in a meter of <paramref name="meters"/> (one per service container).</summary>
    public HostMetrics(IMeterFactory meters, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        _meter = meters.Create(MeterName);
        _meter.CreateObservableCounter("riverrun.task.launches", () => Interlocked.Read(ref _launches), "{task}", "Tasks whose scope started on their node (ASSIGNED -> RUNNING)");
        _meter.CreateObservableCounter("riverrun.task.launch_failures", () => Interlocked.Read(ref _launchFailures), "{task}", "Tasks whose scope could not be started (LAUNCH_FAILED: systemd-run refused)");
        _meter.CreateObservableCounter("riverrun.tasks.ended", ObserveEnded, "{task}", "Tasks that reached a final state since the Host started, by that state");
        _meter.CreateObservableCounter("riverrun.output.received", () => Interlocked.Read(ref _outputBytes), "By", "Output bytes received from Runners (chunks resent after a reconnect included)");
        _startLatency = _meter.CreateHistogram(
            "riverrun.task.start_latency",
            "s",
            "Time from a task's placement on a node (ASSIGNED) to its Runner reporting it started (RUNNING)",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StartLatencyBuckets });
        _meter.CreateObservableGauge("riverrun.tasks", ObserveTasks, "{task}", "Tasks in each state before they end (queued, assigned, running, paused)");
        _meter.CreateObservableGauge("riverrun.queue.length", () => (long)_cluster.QueueLength, "{task}", "Tasks waiting for a node with room (QUEUED)");
        _meter.CreateObservableGauge("riverrun.nodes.connected", () => (long)_cluster.NodesConnected, "{node}", "Nodes whose Runner is connected");
        _meter.CreateObservableGauge("riverrun.node.allocated.cores", () => PerNode(node => node.Allocated.Cores), "{core}", "Cores held by each node's assigned, running and paused tasks");
        _meter.CreateObservableGauge("riverrun.node.allocated.memory", () => PerNode(node => (double)node.Allocated.MemoryBytes), "By", "Memory held by each node's assigned, running and paused tasks");
        _meter.CreateObservableGauge("riverrun.node.capacity.cores", () => PerNode(node => node.Capacity.Cores), "{core}", "Cores each node's Runner offers");
        _meter.CreateObservableGauge("riverrun.node.capacity.memory", () => PerNode(node => (double)node.Capacity.MemoryBytes), "By", "Memory each node's Runner offers");
    }

    /// <summary>A task's stored state changed from <paramref name="from"/> to <paramref name="to"/> (called once per persisted change).</summary>
    public void TaskChanged(TaskId id, TaskState from, TaskState to)
    {
        if (from == to)
        {
            return;
        }

        if (to == TaskState.Assigned)
        {
            _assignedAt[id] = _clock.GetTimestamp();
        }
        else if (from == TaskState.Assigned && _assignedAt.TryRemove(id, out var placedAt) && to == TaskState.Running)
        {
            _startLatency.Record(_clock.GetElapsedTime(placedAt).TotalSeconds);
        }

        if (from == TaskState.Assigned && to == TaskState.Running)
        {
            Interlocked.Increment(ref _launches);
        }

        if (to == TaskState.LaunchFailed)
        {
            Interlocked.Increment(ref _launchFailures);
        }

        if (to.IsFinal())
        {
            _ended.AddOrUpdate(to, 1, (_, count) => count + 1);
        }
    }

    /// <summary>A Runner sent <paramref name="bytes"/> of a task's output.</summary>
    public void OutputReceived(int bytes) => Interlocked.Add(ref _outputBytes, bytes);

    /// <summary>Makes <paramref name="snapshot"/> what the gauges report (before a scrape).</summary>
    public void Publish(ClusterSnapshot snapshot) => _cluster = snapshot ?? throw new ArgumentNullException(nameof(snapshot));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static string Label(TaskState state) => state.ToDisplayName().ToLowerInvariant();

    private IEnumerable<Measurement<long>> ObserveTasks()
    {
        var cluster = _cluster;
        return cluster.TasksByState.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("state", Label(pair.Key))));
    }

    private IEnumerable<Measurement<long>> ObserveEnded() =>
        FinalStates.Select(state => new Measurement<long>(_ended.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", Label(state))));

    private IEnumerable<Measurement<double>> PerNode(Func<ClusterSnapshot.NodeFigures, double> figure) =>
        _cluster.Nodes.Select(node => new Measurement<double>(figure(node), new KeyValuePair<string, object?>("node", node.Name)));
}
