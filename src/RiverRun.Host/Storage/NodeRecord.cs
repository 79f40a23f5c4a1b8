using RiverRun.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Storage;

/// <summary>
/// A node as the store remembers it across restarts: what its Runner last registered with, so that
/// submits naming it are accepted and its capacity is known while it is away.
/// </summary>
/// <param name="Name">The Runner's name.</param>
/// <param name="Capacity">The share of the machine it offers.</param>
/// <param name="Registration">Its last Register message without held tasks (NUMA nodes, GPUs, versions, hostname).</param>
/// <param name="RegisteredAt">When it last registered.</param>
public sealed record NodeRecord(string Name, Resources Capacity, V1.Register Registration, DateTimeOffset RegisteredAt);
