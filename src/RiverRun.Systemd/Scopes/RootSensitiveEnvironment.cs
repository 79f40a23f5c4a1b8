using System.Text.RegularExpressions;

namespace RiverRun.Systemd;

/// <summary>
/// Decides the environment systemd-run itself runs with. systemd-run runs as root until it execs
/// the task's command (it drops to --uid at that point), so variables that steer the dynamic
/// loader, glibc, D-Bus or systemd itself would act on a root process: <c>LD_PRELOAD=/tmp/x.so</c>
/// would run the submitter's code as root. Those are carried under other names, which neither
/// the loader, glibc nor systemd-run reads: the list of names in <see cref="CarrierList"/> and
/// each value in <see cref="CarrierPrefix"/>NAME. The wrapper (running as the task's user, after
/// systemd-run's exec) restores them and unsets the carriers just before it execs the task.
/// </summary>
/// <remarks>
/// Not <c>--setenv=NAME=VALUE</c>, which systemd-run also applies only to the exec'd command:
/// that puts the value on systemd-run's command line, where <c>ps</c> shows it to every user of
/// the node. The process environment is readable only by root and the task's own user
/// (<c>/proc/PID/environ</c>). RiverRun's own names (<c>RIVERRUN_</c>) are refused in a user's
/// environment, so a carrier cannot collide with a variable the user passed.
/// </remarks>
public static partial class RootSensitiveEnvironment
{
    /// <summary>The carrier that lists the restored names, separated by single spaces.</summary>
    public const string CarrierList = "RIVERRUN_TASK_ONLY";

    /// <summary>The carrier of variable NAME is this prefix followed by NAME.</summary>
    public const string CarrierPrefix = "RIVERRUN_TASK_ONLY_";

    // The variables glibc ignores for setuid programs because they can subvert them (its
    // "unsecure envvars"), plus systemd's socket-passing and notification variables.
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "GCONV_PATH", "GETCONF_DIR", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH", "NIS_PATH", "NLSPATH",
        "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR", "TZDIR",
        "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
    };

    // Whole families: the loader (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, ...), glibc tunables and
    // malloc settings, the D-Bus addresses systemd-run talks to, and systemd's own knobs.
    private static readonly string[] Prefixes = ["LD_", "GLIBC_", "MALLOC_", "DBUS_", "SYSTEMD_"];

    /// <summary>Whether <paramref name="name"/> could change what a root process does.</summary>
    public static bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Names.Contains(name) || Prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// Whether <paramref name="name"/> can be carried: the wrapper restores a variable with the
    /// shell's <c>export</c>, which accepts only portable names ([A-Za-z_][A-Za-z0-9_]*).
    /// </summary>
    public static bool IsCarriable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ShellNamePattern().IsMatch(name);
    }

    /// <summary>
    /// The environment systemd-run itself runs with (<paramref name="environment"/> without the
    /// root-sensitive variables) and those it must hand on to the task only.
    /// </summary>
    public static (IReadOnlyDictionary<string, string> ProcessEnvironment, IReadOnlyDictionary<string, string> TaskOnly) Split(
        IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var process = new Dictionary<string, string>(StringComparer.Ordinal);
        var taskOnly = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            if (Contains(name))
            {
                taskOnly[name] = value;
            }
            else
            {
                process[name] = value;
            }
        }

        return (process, taskOnly);
    }

    /// <summary>
    /// systemd-run's whole process environment for a task whose environment is
    /// <paramref name="environment"/>: the harmless variables as they are, the root-sensitive ones
    /// under their carriers (none at all when there are none).
    /// </summary>
    /// <exception cref="ArgumentException">A root-sensitive name cannot be carried (see <see cref="IsCarriable"/>).</exception>
    public static IReadOnlyDictionary<string, string> Carry(IReadOnlyDictionary<string, string> environment)
    {
        var (process, taskOnly) = Split(environment);
        if (taskOnly.Count == 0)
        {
            return process;
        }

        var carried = new Dictionary<string, string>(process, StringComparer.Ordinal);
        foreach (var (name, value) in taskOnly)
        {
            if (!IsCarriable(name))
            {
                throw new ArgumentException($"Environment variable '{name}' reaches the task only, and must then be a portable name (letters, digits and '_', not starting with a digit).", nameof(environment));
            }

            carried[CarrierPrefix + name] = value;
        }

        carried[CarrierList] = string.Join(' ', taskOnly.Keys);
        return carried;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ShellNamePattern();
}
