namespace RiverRun.Core;

/// <summary>
/// What the scheduler knows of one node when it places a task: whether its Runner is connected,
/// what it registered with, and what its assigned and running tasks hold.
/// </summary>
public sealed record NodeSnapshot(string Name, bool Connected, Resources Capacity, Resources Allocated)
{
    /// <summary>What is left for new tasks (negative when the node shrank below what it handed out).</summary>
    public Resources Free => Capacity - Allocated;
}
