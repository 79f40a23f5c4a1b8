using RiverRun.Runner.Tasks;

namespace RiverRun.Runner.Tests;

/// <summary>
/// Stand-ins for systemd-run, systemctl and getent that behave like the real ones closely enough
/// for the policy: systemd-run skips its options and execs the wrapper after "--" in a process
/// group of its own (the "scope"); systemctl signals and inspects that whole group.
/// </summary>
internal sealed class FakeSystemd
{
    private readonly TempDirectory _temp;

    public FakeSystemd(TempDirectory temp, string? systemdRunBody = null)
    {
        _temp = temp;
        Directory.CreateDirectory(temp.Combine("units"));
        var units = temp.Combine("units");
        var systemdRun = temp.WriteScript("systemd-run", systemdRunBody ?? $$"""
            unit=
            for a in "$@"; do case $a in --unit=*) unit=${a#--unit=} ;; esac; done
            printf '%s\n' "$@" >'{{units}}/'"$unit.args"
            while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done; shift
            echo $$ >'{{units}}/'"$unit.pid"
            exec setsid "$@"
            """);
        var systemctl = temp.WriteScript("systemctl", $$"""
            printf '%s|' "$@" >>'{{temp.Combine("calls")}}'; echo >>'{{temp.Combine("calls")}}'
            for last in "$@"; do :; done
            unit=${last%.scope}
            pid=$(cat '{{units}}/'"$unit.pid" 2>/dev/null)
            alive() { [ -n "$pid" ] && /bin/kill -0 -- "-$pid" 2>/dev/null; }
            case "$1" in
              show) if alive; then s=active; else s=inactive; fi; printf 'ActiveState=%s\nControlGroup=\n' "$s" ;;
              kill)
                sig=; for a in "$@"; do case $a in --signal=*) sig=${a#--signal=} ;; esac; done
                alive || { echo "Failed to kill unit $last: Unit $last not loaded." >&2; exit 5; }
                /bin/kill -s "${sig#SIG}" -- "-$pid" ;;
              stop) if alive; then /bin/kill -s KILL -- "-$pid"; fi ;;
              *) echo "unsupported: $1" >&2; exit 1 ;;
            esac
            """);
        var getent = temp.WriteScript("getent", $$"""
            for key in "$@"; do :; done
            case $key in nobody-here) exit 2 ;; esac
            echo "$key:x:1000:1000:Tester:{{temp.Path}}:/bin/sh"
            """);
        Tools = new SystemdTools { SystemdRun = systemdRun, Systemctl = systemctl, Getent = getent, Chown = "/bin/true" };
    }

    public SystemdTools Tools { get; }

    /// <summary>The argv systemd-run got for a unit, one element per line.</summary>
    public IReadOnlyList<string> ArgumentsOf(string unitName) => File.ReadAllLines(_temp.Combine("units", unitName + ".args"));

    /// <summary>Whether any process of the unit's "scope" (its process group) is left.</summary>
    public bool IsAlive(string unitName)
    {
        var pidFile = _temp.Combine("units", unitName + ".pid");
        if (!File.Exists(pidFile))
        {
            return false;
        }

        using var check = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", $"/bin/kill -0 -- -{File.ReadAllText(pidFile).Trim()} 2>/dev/null"]))!;
        check.WaitForExit();
        return check.ExitCode == 0;
    }
}
