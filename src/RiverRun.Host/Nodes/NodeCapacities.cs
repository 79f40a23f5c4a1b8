namespace RiverRun.Host.Nodes;

/// <summary>
/// Every node's <see cref="NodeCapacity"/>, sorted by name, with each node's position by name.
/// Immutable: <see cref="NodeRegistry.Capacities"/> builds one when a node registers, connects or
/// disconnects, and every scheduler pass and submit until then reads that same one.
/// </summary>
/// <remarks>
/// The position by name lets a pass add up what each node holds from its few active tasks, instead
/// of looking every node (hundreds) up by name in a map of the tasks, once per pass.
/// </remarks>
public sealed class NodeCapacities : IReadOnlyList<NodeCapacity>
{
    private readonly NodeCapacity[] _nodes;
    private readonly Dictionary<string, int> _positions;

    /// <summary>The nodes, sorted here by name (ordinal); names must be distinct.</summary>
    public NodeCapacities(IEnumerable<NodeCapacity> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _nodes = [.. nodes];
        Array.Sort(_nodes, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        _positions = new Dictionary<string, int>(_nodes.Length, StringComparer.Ordinal);
        for (var i = 0; i < _nodes.Length; i++)
        {
            if (!_positions.TryAdd(_nodes[i].Name, i))
            {
                throw new ArgumentException($"node '{_nodes[i].Name}' appears twice", nameof(nodes));
            }
        }
    }

    /// <inheritdoc />
    public int Count => _nodes.Length;

    /// <inheritdoc />
    public NodeCapacity this[int index] => _nodes[index];

    /// <summary>The position of the node named <paramref name="name"/>; -1 when there is none.</summary>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _positions.TryGetValue(name, out var index) ? index : -1;
    }

    /// <inheritdoc />
    public IEnumerator<NodeCapacity> GetEnumerator() => ((IEnumerable<NodeCapacity>)_nodes).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
