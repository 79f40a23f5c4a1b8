using RiverRun.Core;
using RiverRun.Host.Runners;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Nodes;

/// <summary>A node as the registry knows it at one moment.</summary>
/// <param name="Name">The Runner's name.</param>
/// <param name="Capacity">What it registered with.</param>
/// <param name="Registration">Its last Register message (NUMA nodes, GPUs, version, hostname).</param>
/// <param name="Connection">Its open stream; null when it is not connected.</param>
/// <param name="LastHeartbeat">Its last heartbeat or registration; null if none since the Host started and none stored.</param>
/// <param name="Usage">What it reported in that heartbeat; null before the first.</param>
public sealed record NodeView(
    string Name,
    Resources Capacity,
    V1.Register Registration,
    RunnerConnection? Connection,
    DateTimeOffset? LastHeartbeat,
    V1.NodeUsage? Usage)
{
    /// <summary>Whether its Runner's stream is open now.</summary>
    public bool Connected => Connection is not null;
}
