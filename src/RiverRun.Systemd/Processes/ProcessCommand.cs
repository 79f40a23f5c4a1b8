using System.Collections.ObjectModel;
using System.ComponentModel;
using System.Diagnostics;

namespace RiverRun.Systemd;

/// <summary>
/// An immutable description of a program to run, in the style of CliWrap (which is not available
/// in the package source reachable here). Every <c>With…</c> returns a new command, so a base
/// command can be shared and specialised without surprises.
/// </summary>
/// <remarks>
/// Arguments are always an argv list passed through <see cref="ProcessStartInfo.ArgumentList"/>:
/// nothing is ever joined into a string and re-split, so spaces, quotes and <c>$</c> reach the
/// program unchanged.
/// </remarks>
public sealed class ProcessCommand
{
    private static readonly IReadOnlyList<string> NoArguments = [];

    public ProcessCommand(string targetFilePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetFilePath);
        TargetFilePath = targetFilePath;
        Arguments = NoArguments;
    }

    private ProcessCommand(ProcessCommand other)
    {
        TargetFilePath = other.TargetFilePath;
        Arguments = other.Arguments;
        Environment = other.Environment;
        WorkingDirectory = other.WorkingDirectory;
    }

    /// <summary>The program: a path, or a bare name looked up on the caller's PATH.</summary>
    public string TargetFilePath { get; }

    public IReadOnlyList<string> Arguments { get; private init; }

    /// <summary>
    /// The program's complete environment, or null to inherit the caller's. When set it replaces
    /// the inherited environment entirely: a task must never see the Runner's variables (its
    /// token among them).
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment { get; private init; }

    /// <summary>The program's working directory, or null for the caller's.</summary>
    public string? WorkingDirectory { get; private init; }

    public ProcessCommand WithArguments(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var copy = arguments.ToArray();
        foreach (var argument in copy)
        {
            // execve cannot carry NUL; failing here names the problem instead of truncating.
            if (argument is null || argument.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("Arguments must not be null or contain NUL characters.", nameof(arguments));
            }
        }

        return new ProcessCommand(this) { Arguments = Array.AsReadOnly(copy) };
    }

    public ProcessCommand WithEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            EnvironmentNames.Validate(name, nameof(environment));
            if (value is null || value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Environment variable '{name}' must have a value without NUL characters.", nameof(environment));
            }

            copy[name] = value;
        }

        return new ProcessCommand(this) { Environment = new ReadOnlyDictionary<string, string>(copy) };
    }

    public ProcessCommand WithWorkingDirectory(string workingDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workingDirectory);
        return new ProcessCommand(this) { WorkingDirectory = workingDirectory };
    }

    /// <summary>
    /// Starts the program and returns at once. Standard input is closed immediately (the
    /// program sees end of file); standard output and error are captured as text.
    /// </summary>
    /// <exception cref="CommandStartException">The program could not be started (not found, not executable).</exception>
    public RunningProcess Start()
    {
        var process = new Process { StartInfo = CreateStartInfo() };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new CommandStartException(TargetFilePath, ex.Message, ex);
        }

        return new RunningProcess(process);
    }

    /// <summary>
    /// Runs the program to completion and returns its exit code and output. Cancelling kills the
    /// program (and its descendants): a helper like systemctl that is no longer wanted must not
    /// linger.
    /// </summary>
    public async Task<ProcessResult> ExecuteBufferedAsync(CancellationToken cancellationToken = default)
    {
        using var running = Start();
        try
        {
            return await running.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            running.Kill();
            throw;
        }
    }

    public override string ToString() =>
        Arguments.Count == 0 ? TargetFilePath : $"{TargetFilePath} {string.Join(' ', Arguments)}";

    private ProcessStartInfo CreateStartInfo()
    {
        var startInfo = new ProcessStartInfo(TargetFilePath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        foreach (var argument in Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (Environment is not null)
        {
            // ProcessStartInfo.Environment starts as a copy of ours: clear it first, then add
            // only what was asked for.
            startInfo.Environment.Clear();
            foreach (var (name, value) in Environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        if (WorkingDirectory is not null)
        {
            startInfo.WorkingDirectory = WorkingDirectory;
        }

        return startInfo;
    }
}
