using RiverRun.Core;
using RiverRun.Host.Monitoring;
using RiverRun.Host.Nodes;

namespace RiverRun.Host.Tests;

public sealed class ClusterSnapshotTests
{
    [Fact]
    public void Counts_every_active_state_including_empty_ones_and_sums_each_nodes_holding_tasks()
    {
        var nodes = new[]
        {
            new NodeView("node2", new Resources(8, 16L << 30), new Contracts.V1.Register(), null, DateTimeOffset.UtcNow, null),
            new NodeView("node1", new Resources(4, 8L << 30), new Contracts.V1.Register(), null, DateTimeOffset.UtcNow, null),
        };
        var tasks = new[]
        {
            TestTasks.Queued(cores: 1),
            TestTasks.Queued(cores: 1) with { State = TaskState.Assigned, Node = "node1" },
            TestTasks.Queued(cores: 2, memory: 1L << 30) with { State = TaskState.Running, Node = "node1" },
            TestTasks.Queued(cores: 0.5) with { State = TaskState.Paused, Node = "node2" },
        };

        var snapshot = ClusterSnapshot.From(nodes, tasks);

        Assert.Equal(
            [(TaskState.Queued, 1), (TaskState.Assigned, 1), (TaskState.Running, 1), (TaskState.Paused, 1)],
            ClusterSnapshot.ActiveStates.Select(state => (state, snapshot.TasksByState[state])));
        Assert.Equal(1, snapshot.QueueLength);
        Assert.Equal(0, snapshot.NodesConnected);
        Assert.Equal(["node1", "node2"], snapshot.Nodes.Select(n => n.Name));
        Assert.Equal(new Resources(3, 1L << 30), snapshot.Nodes[0].Allocated);
        Assert.Equal(new Resources(0.5, 0), snapshot.Nodes[1].Allocated);
        Assert.Equal(new Resources(8, 16L << 30), snapshot.Nodes[1].Capacity);
    }

    [Fact]
    public void Before_the_first_scrape_every_state_counts_zero_and_there_are_no_nodes()
    {
        Assert.All(ClusterSnapshot.ActiveStates, state => Assert.Equal(0, ClusterSnapshot.Empty.TasksByState[state]));
        Assert.Empty(ClusterSnapshot.Empty.Nodes);
    }
}
