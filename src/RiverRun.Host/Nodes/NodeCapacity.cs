using RiverRun.Core;

namespace RiverRun.Host.Nodes;

/// <summary>
/// A node as placement sees it: whether its Runner is connected and what it registered with.
/// Nothing a heartbeat changes, so <see cref="NodeRegistry.Capacities"/> can keep one list of
/// these between registrations instead of building (and sorting) one per scheduler pass.
/// </summary>
/// <param name="Name">The Runner's name.</param>
/// <param name="Connected">Whether its stream is open.</param>
/// <param name="Capacity">What it registered with.</param>
public sealed record NodeCapacity(string Name, bool Connected, Resources Capacity);
