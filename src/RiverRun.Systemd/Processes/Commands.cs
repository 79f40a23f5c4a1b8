using CliWrap;

namespace RiverRun.Systemd;

/// <summary>Where every program RiverRun starts gets its CliWrap command.</summary>
public static class Commands
{
    /// <summary>
    /// <see cref="Cli.Wrap"/> with validation off: an exit status is a result to read, never an
    /// exception. getent exits 2 for "not found", <c>systemctl is-active</c> 3 for "inactive", and
    /// systemd-run exits with the task's own status; each caller decides what a status means.
    /// </summary>
    /// <param name="program">A path, or a bare name looked up on the Runner's PATH.</param>
    public static Command Wrap(string program)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        return Cli.Wrap(program).WithValidation(CommandResultValidation.None);
    }
}
