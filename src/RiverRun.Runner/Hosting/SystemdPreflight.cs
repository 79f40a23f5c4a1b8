using CliWrap.Buffered;
using RiverRun.Systemd;

namespace RiverRun.Runner;

/// <summary>
/// Checks, before anything else, that this machine can run tasks the way RiverRun promises: in
/// systemd scopes with enforced limits, started by root. Each failure says why and how to fix it.
/// </summary>
internal sealed class SystemdPreflight
{
    private readonly string _systemdRuntimeDirectory;
    private readonly Func<bool> _isRoot;
    private readonly string _systemdRun;
    private readonly string _systemctl;

    public SystemdPreflight(string systemdRuntimeDirectory = "/run/systemd/system", Func<bool>? isRoot = null, string systemdRun = SystemdRunCommandBuilder.Executable, string systemctl = "systemctl")
    {
        _systemdRuntimeDirectory = systemdRuntimeDirectory;
        _isRoot = isRoot ?? (() => Environment.IsPrivilegedProcess);
        _systemdRun = systemdRun;
        _systemctl = systemctl;
    }

    /// <summary>The systemd version when everything is in place.</summary>
    /// <exception cref="InvalidOperationException">Something is missing; the message says what and how to fix it.</exception>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_systemdRuntimeDirectory))
        {
            throw new InvalidOperationException(
                $"systemd is not running on this machine ({_systemdRuntimeDirectory} does not exist, so PID 1 is not systemd). "
                + "The Runner starts every task in a transient systemd scope, which is what enforces its CPU and memory limits. "
                + "Run the Runner on a machine (or container) booted with systemd as PID 1; for a local cluster, see deploy/sandbox.");
        }

        if (!_isRoot())
        {
            throw new InvalidOperationException(
                "The Runner must run as root: it starts scopes as other users (systemd-run --uid) and signals and stops them with systemctl. "
                + "Start it as root, e.g. as the riverrun-runner.service unit that 'riverrun init service --runner --install' writes.");
        }

        int version;
        try
        {
            version = await SystemdVersion.DetectAsync(_systemdRun, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CommandStartException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"systemd-run does not work here ({ex.Message}). Install systemd (Debian/Ubuntu: apt-get install systemd) and make sure '{_systemdRun}' is on the PATH.", ex);
        }

        BufferedCommandResult manager;
        try
        {
            // Talks to the service manager over its bus: fails where systemctl exists but cannot reach systemd.
            manager = await Commands.Wrap(_systemctl).WithArguments(["show", "--property=Version", "--value"]).StartBuffered(cancellationToken).ConfigureAwait(false);
        }
        catch (CommandStartException ex)
        {
            throw new InvalidOperationException($"systemctl cannot be run ({ex.Message}). Install systemd and make sure '{_systemctl}' is on the PATH.", ex);
        }

        if (!manager.IsSuccess)
        {
            throw new InvalidOperationException(
                $"systemctl cannot reach the systemd manager (exit {manager.ExitCode}: {manager.StandardError.Trim()}). "
                + "Check that systemd runs as PID 1 and its D-Bus socket (/run/systemd/private) is reachable from the Runner's namespace.");
        }

        return version;
    }
}
