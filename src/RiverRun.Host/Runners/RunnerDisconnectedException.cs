namespace RiverRun.Host.Runners;

/// <summary>A command could not be carried out because its Runner's stream closed first.</summary>
public sealed class RunnerDisconnectedException : Exception
{
    public RunnerDisconnectedException()
        : this("the Runner disconnected")
    {
    }

    public RunnerDisconnectedException(string message)
        : base(message)
    {
    }

    public RunnerDisconnectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
