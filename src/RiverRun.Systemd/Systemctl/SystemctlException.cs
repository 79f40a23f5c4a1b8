namespace RiverRun.Systemd;

/// <summary>A systemctl call exited non-zero; carries its exit code and stderr.</summary>
public sealed class SystemctlException : Exception
{
    public SystemctlException(string command, int exitCode, string standardError)
        : base($"'{command}' exited with {exitCode}: {standardError.Trim()}")
    {
        ExitCode = exitCode;
        StandardError = standardError;
    }

    public SystemctlException()
    {
        StandardError = string.Empty;
    }

    public SystemctlException(string message)
        : base(message)
    {
        StandardError = string.Empty;
    }

    public SystemctlException(string message, Exception innerException)
        : base(message, innerException)
    {
        StandardError = string.Empty;
    }

    public int ExitCode { get; }

    public string StandardError { get; }
}
