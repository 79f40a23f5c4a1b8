namespace RiverRun.Cli;

/// <summary>
/// A failure the user must see: one line on standard error (<c>riverrun: &lt;message&gt;</c>)
/// and an exit code. Commands throw it; <see cref="CliApp"/> prints it.
/// </summary>
public sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public CliException()
        : this(ExitCodes.GenericFailure, "riverrun failed")
    {
    }

    public CliException(string message)
        : this(ExitCodes.GenericFailure, message)
    {
    }

    public CliException(string message, Exception innerException)
        : this(ExitCodes.GenericFailure, message, innerException)
    {
    }

    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; }

    /// <summary>Bad usage or an invalid argument: exit 2.</summary>
    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
