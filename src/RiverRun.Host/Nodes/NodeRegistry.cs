using RiverRun.Host.Runners;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Nodes;

/// <summary>
/// Every node that ever registered, with its live connection (if any), last heartbeat and usage.
/// In memory: the store keeps registrations across restarts, heartbeats are too frequent and too
/// short-lived to be worth a write each.
/// </summary>
/// <remarks>
/// The scheduler and every submit read every node's capacity; with hundreds of Runners that read
/// must not copy and sort the registry each time. <see cref="Capacities"/> keeps that list until a
/// registration, connect or disconnect changes it; heartbeats (the frequent event) leave it alone.
/// </remarks>
public sealed class NodeRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NodeView> _nodes = new(StringComparer.Ordinal);

    // Built on first read after a change of membership, connection or capacity; null until then.
    private NodeCapacities? _capacities;

    /// <summary>Adds nodes remembered from before a restart, as not connected.</summary>
    public void Load(IEnumerable<NodeRecord> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        lock (_lock)
        {
            foreach (var node in nodes)
            {
                _nodes.TryAdd(node.Name, new NodeView(node.Name, node.Capacity, node.Registration, null, node.RegisteredAt, null));
            }

            _capacities = null;
        }
    }

    /// <summary>Records a node's new registration while it is not yet connected, so submits may name it at once.</summary>
    public void Register(NodeRecord registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (_lock)
        {
            var connection = _nodes.TryGetValue(registration.Name, out var node) ? node.Connection : null;
            _nodes[registration.Name] = new NodeView(
                registration.Name, registration.Capacity, registration.Registration, connection, registration.RegisteredAt, node?.Usage);
            _capacities = null;
        }
    }

    /// <summary>Makes <paramref name="connection"/> the node's live stream with its new registration.</summary>
    public void Attach(NodeRecord registration, RunnerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (_lock)
        {
            _nodes[registration.Name] = new NodeView(
                registration.Name, registration.Capacity, registration.Registration, connection, registration.RegisteredAt, null);
            _capacities = null;
        }
    }

    /// <summary>
    /// Marks the node not connected and returns the stream it had, if any. With
    /// <paramref name="onlyIf"/>, only when that is still the node's stream: a replaced stream that
    /// ends late must not disconnect its replacement.
    /// </summary>
    public RunnerConnection? Detach(string name, RunnerConnection? onlyIf = null)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(name, out var node) || node.Connection is null
                || (onlyIf is not null && !ReferenceEquals(node.Connection, onlyIf)))
            {
                return null;
            }

            _nodes[name] = node with { Connection = null };
            _capacities = null;
            return node.Connection;
        }
    }

    /// <summary>Records a heartbeat that came over <paramref name="connection"/> (ignored if that stream was replaced).</summary>
    public void RecordHeartbeat(string name, RunnerConnection connection, V1.NodeUsage? usage, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_nodes.TryGetValue(name, out var node) && ReferenceEquals(node.Connection, connection))
            {
                _nodes[name] = node with { LastHeartbeat = at, Usage = usage ?? node.Usage };
            }
        }
    }

    /// <summary>
    /// Every node's name, connection and capacity, sorted by name: the same list (not a copy) until
    /// a node registers, connects or disconnects. Heartbeats change nothing here.
    /// </summary>
    public NodeCapacities Capacities()
    {
        lock (_lock)
        {
            return _capacities ??= new NodeCapacities(_nodes.Values.Select(node => new NodeCapacity(node.Name, node.Connected, node.Capacity)));
        }
    }

    /// <summary>The node's live stream, or null when it is unknown or not connected.</summary>
    public RunnerConnection? GetConnection(string name)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(name, out var node) ? node.Connection : null;
        }
    }

    /// <summary>One node, or null when no node of that name ever registered.</summary>
    public NodeView? Find(string name)
    {
        lock (_lock)
        {
            return _nodes.GetValueOrDefault(name);
        }
    }

    /// <summary>All nodes, sorted by name.</summary>
    public IReadOnlyList<NodeView> List()
    {
        lock (_lock)
        {
            return [.. _nodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal)];
        }
    }
}
