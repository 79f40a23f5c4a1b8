namespace RiverRun.Systemd;

/// <summary>
/// Splits a task's environment into what systemd-run may carry in its own process environment
/// and what must reach only the task. systemd-run runs as root until it execs the task's
/// command (it drops to --uid at that point), so variables that steer the dynamic loader, glibc,
/// D-Bus or systemd itself would act on a root process: <c>LD_PRELOAD=/tmp/x.so</c> would run
/// the submitter's code as root. Those go through <c>--setenv</c>, which systemd-run applies only
/// to the command it execs (checked on systemd 252 with --scope and --uid). The rest stays in the
/// process environment rather than the command line, where every user of the node could read it.
/// </summary>
public static class RootSensitiveEnvironment
{
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
    /// The environment systemd-run itself runs with (<paramref name="environment"/> without the
    /// root-sensitive variables) and those it must hand to the task with --setenv.
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
}
