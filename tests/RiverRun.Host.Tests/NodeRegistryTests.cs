using RiverRun.Core;
using RiverRun.Host.Nodes;
using RiverRun.Host.Runners;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

public sealed class NodeRegistryTests : IAsyncDisposable
{
    private readonly NodeRegistry _nodes = new();
    private readonly List<RunnerConnection> _connections = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public void Capacities_list_every_node_by_name_with_its_connection_and_registered_capacity()
    {
        _nodes.Load([Record("b", 2)]);
        Attach("c", 8);
        Attach("a", 4);

        Assert.Equal(
            [new NodeCapacity("a", true, new Resources(4, 1L << 30)), new NodeCapacity("b", false, new Resources(2, 1L << 30)), new NodeCapacity("c", true, new Resources(8, 1L << 30))],
            _nodes.Capacities());
    }

    [Fact]
    public void Heartbeats_leave_the_capacity_list_as_it_was_so_readers_share_one_list()
    {
        var connection = Attach("a", 4);
        var before = _nodes.Capacities();

        _nodes.RecordHeartbeat("a", connection, new V1.NodeUsage { CpuCoresBusy = 3 }, DateTimeOffset.UtcNow);

        Assert.Same(before, _nodes.Capacities());
        Assert.Equal(3, _nodes.Find("a")!.Usage!.CpuCoresBusy);
    }

    [Fact]
    public void A_disconnect_a_reconnect_and_a_new_registration_each_show_in_the_next_capacity_list()
    {
        var connection = Attach("a", 4);

        _nodes.Detach("a", onlyIf: connection);
        Assert.False(Assert.Single(_nodes.Capacities()).Connected);

        Attach("a", 6);
        Assert.Equal(new NodeCapacity("a", true, new Resources(6, 1L << 30)), Assert.Single(_nodes.Capacities()));

        _nodes.Register(Record("b", 1));
        Assert.Equal(["a", "b"], _nodes.Capacities().Select(n => n.Name));
    }

    [Fact]
    public void A_capacity_list_finds_each_node_by_name_and_says_minus_one_for_a_stranger()
    {
        var capacities = new NodeCapacities([new NodeCapacity("b", true, Resources.None), new NodeCapacity("a", false, Resources.None)]);

        Assert.Equal(["a", "b"], capacities.Select(n => n.Name));
        Assert.Equal(0, capacities.IndexOf("a"));
        Assert.Equal(1, capacities.IndexOf("b"));
        Assert.Equal(-1, capacities.IndexOf("c"));
    }

    [Fact]
    public void A_capacity_list_refuses_a_node_named_twice()
    {
        var error = Assert.Throws<ArgumentException>(() => new NodeCapacities([new NodeCapacity("a", true, Resources.None), new NodeCapacity("a", false, Resources.None)]));

        Assert.Contains("node 'a' appears twice", error.Message, StringComparison.Ordinal);
    }

    private static NodeRecord Record(string name, double cores) =>
        new(name, new Resources(cores, 1L << 30), new V1.Register { Name = name }, DateTimeOffset.UtcNow);

    private RunnerConnection Attach(string name, double cores)
    {
        var connection = new RunnerConnection(name, new CapturingStreamWriter<V1.HostMessage>(false), CancellationToken.None);
        _connections.Add(connection);
        _nodes.Attach(Record(name, cores), connection);
        return connection;
    }
}
