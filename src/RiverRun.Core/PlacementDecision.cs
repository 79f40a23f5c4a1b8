namespace RiverRun.Core;

/// <summary>
/// What <see cref="PlacementPolicy"/> decided for one task: one of <see cref="Placed"/>,
/// <see cref="Wait"/> or <see cref="NeverFits"/>.
/// </summary>
/// <remarks>
/// Waiting and never fitting are kept apart because they call for opposite actions: a waiting
/// task stays QUEUED (a busy cluster is no error), while a task larger than any node could ever
/// hold would wait forever, so the Host rejects it or tells the user why it cannot run.
/// </remarks>
public abstract record PlacementDecision
{
    // Only the three cases below exist.
    private PlacementDecision()
    {
    }

    /// <summary>Run the task on <paramref name="Node"/> now.</summary>
    public sealed record Placed(string Node) : PlacementDecision;

    /// <summary>No suitable node has room now; keep the task queued. <paramref name="Reason"/> says what it waits for.</summary>
    public sealed record Wait(string Reason) : PlacementDecision;

    /// <summary>The task asks for more than its node (or the largest node) has in total. <paramref name="Reason"/> says by how much.</summary>
    public sealed record NeverFits(string Reason) : PlacementDecision;
}
