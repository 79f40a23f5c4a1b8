namespace RiverRun.Core;

/// <summary>
/// Decides where a queued task runs, from a snapshot of the nodes. Pure and deterministic: the
/// same inputs always give the same decision, so the scheduler can call it on every change.
/// </summary>
/// <remarks>
/// With a target, only that node will do: the task is placed there when the node is connected
/// and has room, and waits otherwise. Without one, the task goes to the connected node with the
/// most free room that fits it: most free cores, then most free memory, then the name in
/// ordinal order to break ties. Spreading to the emptiest node keeps tasks from crowding one
/// machine while others idle.
/// Whether a request can <i>ever</i> fit is judged against capacity, connected or not: a big
/// node that is down now may come back, so the task waits for it rather than being rejected.
/// A node also takes at most <see cref="StartingLimit"/> tasks that are still starting (handed
/// to its Runner, not yet running): tasks that ask for no cores always "fit", so without it a
/// burst of them all went to one node at once (10,000 zero-core tasks: 7,500 held by node1's
/// Runner, whose memory grew by 86 %), while the Host, which keeps them safely queued, is where
/// they should wait. The limit stays well above what a Runner launches at once (2 per CPU).
/// NUMA nodes and GPUs of a target are not checked here (the snapshot does not carry them);
/// the Runner refuses a target its machine does not have.
/// </remarks>
public static class PlacementPolicy
{
    /// <summary>The most tasks a node with <paramref name="capacity"/> is handed to start at once: 4 per core, at least 32.</summary>
    public static int StartingLimit(Resources capacity) =>
        Math.Max(32, 4 * (int)Math.Min(Math.Ceiling(Math.Max(capacity.Cores, 0)), 1 << 20));

    /// <summary>Where a task asking <paramref name="request"/> at <paramref name="target"/> (null: anywhere) should run.</summary>
    public static PlacementDecision Decide(Resources request, TargetSelector? target, IReadOnlyCollection<NodeSnapshot> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return target is null ? DecideAnywhere(request, nodes) : DecideOnNode(request, target.Node, nodes);
    }

    private static PlacementDecision DecideOnNode(Resources request, string nodeName, IReadOnlyCollection<NodeSnapshot> nodes)
    {
        var node = nodes.FirstOrDefault(n => string.Equals(n.Name, nodeName, StringComparison.Ordinal));
        if (node is null)
        {
            // Possibly a node still being set up: wait for it, saying so, rather than guess it is a typo.
            return new PlacementDecision.Wait($"no node named '{nodeName}' has registered; the task waits until it does");
        }

        if (!request.Fits(node.Capacity))
        {
            return new PlacementDecision.NeverFits(
                $"the task asks for {request} but node '{node.Name}' has only {node.Capacity} in total");
        }

        if (!node.Connected)
        {
            return new PlacementDecision.Wait($"node '{node.Name}' is not connected");
        }

        if (!node.CanStartMore)
        {
            return new PlacementDecision.Wait($"node '{node.Name}' is starting {node.Starting} tasks already; the task waits until some of them run");
        }

        return request.Fits(node.Free)
            ? new PlacementDecision.Placed(node.Name)
            : new PlacementDecision.Wait($"node '{node.Name}' has {node.Free} free; the task asks for {request}");
    }

    private static PlacementDecision DecideAnywhere(Resources request, IReadOnlyCollection<NodeSnapshot> nodes)
    {
        if (nodes.Count == 0)
        {
            return new PlacementDecision.Wait("no node has registered yet");
        }

        // One pass keeping the roomiest node so far: the scheduler asks this for every queued task
        // across every node (hundreds), so it must not sort them.
        NodeSnapshot? best = null;
        foreach (var node in nodes)
        {
            if (node.Connected && node.CanStartMore && request.Fits(node.Free) && (best is null || IsRoomier(node, best)))
            {
                best = node;
            }
        }

        if (best is not null)
        {
            return new PlacementDecision.Placed(best.Name);
        }

        if (!nodes.Any(n => request.Fits(n.Capacity)))
        {
            var largestCores = nodes.Max(n => n.Capacity.Cores);
            var largestMemory = nodes.Max(n => n.Capacity.MemoryBytes);
            return new PlacementDecision.NeverFits(
                $"the task asks for {request} but no node has that much in total (the most any node has: {new Resources(largestCores, largestMemory)})");
        }

        if (nodes.Any(n => n.Connected && request.Fits(n.Free)))
        {
            return new PlacementDecision.Wait("every connected node with room is starting as many tasks as it may at once; the task waits until some of them run");
        }

        return nodes.Any(n => n.Connected)
            ? new PlacementDecision.Wait($"no connected node has {request} free")
            : new PlacementDecision.Wait("no node is connected");
    }

    // Most free cores, then most free memory, then the first name in ordinal order: a total order,
    // so the same node wins whatever order the nodes come in.
    private static bool IsRoomier(NodeSnapshot candidate, NodeSnapshot best)
    {
        var (free, bestFree) = (candidate.Free, best.Free);
        if (free.Cores != bestFree.Cores)
        {
            return free.Cores > bestFree.Cores;
        }

        return free.MemoryBytes != bestFree.MemoryBytes
            ? free.MemoryBytes > bestFree.MemoryBytes
            : string.CompareOrdinal(candidate.Name, best.Name) < 0;
    }
}
