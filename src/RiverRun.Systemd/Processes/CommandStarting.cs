using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace RiverRun.Systemd;

/// <summary>Starting a CliWrap command so that a program that cannot start says which one and why.</summary>
public static class CommandStarting
{
    /// <summary>
    /// Starts the command with its output captured as text (the caller reads systemctl's answers
    /// and systemd-run's own error messages) and returns at once; the returned task carries the
    /// process id. Standard input is closed right away: CliWrap's default input is empty, so the
    /// program reads end of file rather than a pipe that stays open as long as the Runner lives.
    /// </summary>
    /// <param name="forcefulCancellationToken">
    /// Kills the program (and its descendants) when cancelled. Pass <see cref="CancellationToken.None"/>
    /// for a program that must outlive the caller's interest in it (systemd-run --scope, which is
    /// the task); wait for such a one with <c>.Task.WaitAsync(token)</c> instead.
    /// </param>
    /// <exception cref="ArgumentException">An argument contains NUL.</exception>
    /// <exception cref="CommandStartException">The program could not be started (not found, not executable, no such working directory).</exception>
    public static CommandTask<BufferedCommandResult> StartBuffered(this Command command, CancellationToken forcefulCancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);

        // execve takes C strings, and .NET passes an argument holding NUL cut short without a
        // word ("alice\0root" would reach getent as "alice"). CliWrap keeps the arguments as one
        // escaped string, so a NUL in any of them is a NUL in it.
        if (command.Arguments.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The arguments for '{command.TargetFilePath}' contain a NUL character, which no process argument can hold.", nameof(command));
        }

        try
        {
            // CliWrap starts the process synchronously here, so a start failure is thrown now
            // rather than from the task.
            return command.ExecuteBufferedAsync(forcefulCancellationToken);
        }
        catch (Win32Exception ex)
        {
            // CliWrap wraps the OS error in a generic "file or working directory doesn't exist,
            // credentials are invalid, or…" message; the inner exception has the actual reason.
            throw new CommandStartException(command.TargetFilePath, (ex.InnerException ?? ex).Message, ex);
        }
    }
}
