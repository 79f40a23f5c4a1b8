namespace RiverRun.Runner.Tasks;

/// <summary>
/// A task this node cannot start as asked (no such user, NUMA node or invalid limit). It ends
/// LAUNCH_FAILED with this message as the reason.
/// </summary>
internal sealed class TaskRejectedException : Exception
{
    public TaskRejectedException()
    {
    }

    public TaskRejectedException(string message)
        : base(message)
    {
    }

    public TaskRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
