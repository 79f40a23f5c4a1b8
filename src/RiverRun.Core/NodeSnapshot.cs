namespace RiverRun.Core;

/// <summary>
/// What the scheduler knows of one node when it places a task: whether its Runner is connected,
/// what it registered with, what its assigned and running tasks hold, and how many of them are
/// still starting (sent to the Runner, not yet running).
/// </summary>
public sealed record NodeSnapshot(string Name, bool Connected, Resources Capacity, Resources Allocated, int Starting = 0)
{
    /// <summary>What is left for new tasks (negative when the node shrank below what it handed out).</summary>
    public Resources Free => Capacity - Allocated;

    /// <summary>Whether the node may be handed one more task to start now (<see cref="PlacementPolicy.StartingLimit"/>).</summary>
    public bool CanStartMore => Starting < PlacementPolicy.StartingLimit(Capacity);
}
