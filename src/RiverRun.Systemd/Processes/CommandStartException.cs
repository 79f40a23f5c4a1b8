namespace RiverRun.Systemd;

/// <summary>A program could not be started at all: missing, not executable, bad working directory.</summary>
public sealed class CommandStartException : Exception
{
    public CommandStartException(string executable, string reason, Exception? innerException)
        : base($"Could not start '{executable}': {reason}", innerException)
    {
        Executable = executable;
    }

    public CommandStartException()
        : this("(unknown)", "unknown reason", null)
    {
    }

    public CommandStartException(string message)
        : base(message)
    {
        Executable = "(unknown)";
    }

    public CommandStartException(string message, Exception innerException)
        : base(message, innerException)
    {
        Executable = "(unknown)";
    }

    /// <summary>The program that was asked for, as given.</summary>
    public string Executable { get; } = "(unknown)";
}
