namespace RiverRun.Systemd;

/// <summary>
/// The inline POSIX sh script that systemd-run execs inside the scope, as the task's user:
/// <c>/bin/sh -c SCRIPT riverrun-wrapper SPOOL WORKDIR ARGV…</c>. It exists because a scope's
/// command is exec'd by systemd-run, so someone inside the scope must record the task's exit
/// status and OOM count where a restarted Runner can still find them.
/// </summary>
/// <remarks>
/// Design points, each one load-bearing:
/// <list type="bullet">
/// <item>The script text is constant; spool, working directory and argv arrive as positional
/// parameters, so nothing user-supplied is ever parsed as shell code.</item>
/// <item>The wrapper assigns no variable before the task runs, except its own
/// <c>RIVERRUN_TASK_ONLY__*</c> ones, which are never in its environment (<see cref="ScopeRequest"/>
/// refuses the prefix) and are unset before the exec: sh exports every variable it imported from
/// the environment, so assigning one would alter the task's environment.</item>
/// <item>The root-sensitive variables (<see cref="RootSensitiveEnvironment"/>) arrive under
/// carrier names, because systemd-run was root while it held them. The task's subshell exports
/// each listed name from its carrier and unsets the carriers, so the task sees exactly the
/// variables it was given. The names are portable shell names (validated by
/// <see cref="ScopeRequest"/>, and checked again here before <c>eval</c> sees one); values are
/// expanded by <c>eval</c>, never parsed, so any byte but NUL survives, newlines included.</item>
/// <item>The spool's files are created under <c>umask 077</c> (in a subshell, so the task keeps
/// the umask it inherited): owned by the task's user and readable by no other user.</item>
/// <item><c>started</c> is written last of those: systemd-run's own failures (unit exists, no
/// bus, unknown user) happen before the exec and leave no marker, which is how the launcher
/// tells them from a task that exited non-zero. Its time is not trusted: the task's user can
/// change it, so the Runner records the start by its own clock.</item>
/// <item>After the marker the wrapper points its own stdout and stderr away from systemd-run's
/// pipes, so a Runner restart (which closes those pipes) cannot kill it with SIGPIPE.</item>
/// <item>The task is run as <c>( shift 2; exec "$@" )</c>: exec never runs a shell builtin or
/// function, so argv such as <c>exit 0</c> or <c>exec …</c> cannot end the wrapper before it
/// records anything; the subshell also resets traps to the default for the task.</item>
/// <item>Every signal is reset to its default for the task with <c>env --default-signal</c>
/// (coreutils 8.31 or later; skipped for an argv[0] containing '=', which env would read as an
/// assignment). Whether the node's env has the option is found out once per Runner
/// (<see cref="ScopeLauncher"/>), not per task: the wrapper without it is <see cref="TextWithoutSignalReset"/>.
/// Ignored signals are inherited through systemd-run, and sh cannot reset a signal ignored on
/// entry: the .NET runtime ignores SIGPIPE (without the reset <c>yes | head -1</c> in a task
/// prints "Broken pipe" errors instead of ending quietly), and a Runner started under
/// <c>nohup</c> ignores SIGHUP. A task starts with the dispositions a service gets from systemd.</item>
/// <item><c>trap : TERM INT HUP</c> (a command, not <c>trap ''</c>: ignored signals would stay
/// ignored in the task) keeps the wrapper alive through the SIGTERM sent to the whole scope;
/// POSIX defers the trap until the foreground command finishes, so the wrapper still records
/// the task's status.</item>
/// <item>The exit record is built in a variable and written by one <c>printf</c>, whose last
/// line is <c>end=1</c> (<see cref="WrapperExitRecord.IsComplete"/>): a reader that finds the file
/// while it is being written, or after a SIGKILL cut it short, can tell. It used to be written to
/// exit.tmp and renamed by <c>mv</c>: one more process on every task's end path.</item>
/// <item>The OOM count comes from the wrapper's own memory cgroup, i.e. the scope's: cgroup v2
/// <c>memory.events</c>, cgroup v1 <c>memory.oom_control</c> (kernel 4.13 or later). The
/// file read is recorded as <c>oom_source</c> for diagnosis.</item>
/// <item>The task's usage is read at the same moment, from the same cgroup, while it surely
/// exists: <c>cpu_usec</c> (v2 <c>cpu.stat</c> usage_usec, v1 <c>cpuacct.usage</c> / 1000) and
/// <c>memory_peak</c> (v2 <c>memory.peak</c>, kernel 5.19 or later; v1
/// <c>memory.max_usage_in_bytes</c>). A value that is missing or not a number is left out,
/// never guessed; shell arithmetic sees only digits, so it cannot end the wrapper early.
/// CPU time is read only from the scope's own cgroup: on v1 the cpuacct path must be the unit's
/// (systemd's name=systemd path). A node that was not given cpuacct (a container, such as the
/// sandbox's nspawn nodes) shows its own root there, whose counter is the whole node's CPU
/// time: every task reported about a minute for `true` before this check.</item>
/// </list>
/// </remarks>
public static class TaskWrapperScript
{
    /// <summary>$0 of the wrapper: what ps shows and what sh prefixes its own messages with.</summary>
    public const string ArgumentZero = "riverrun-wrapper";

    /// <summary>Exit status when the spool directory cannot be written (no marker exists then).</summary>
    public const int SpoolUnwritableStatus = 125;

    /// <summary>Exit status when the working directory cannot be entered (recorded as an error).</summary>
    public const int WorkingDirectoryStatus = 126;

    /// <summary>The exit record's error text when the working directory cannot be entered.</summary>
    public const string WorkingDirectoryError = "cannot change to the working directory";

    /// <summary>The wrapper, for a node whose /usr/bin/env has --default-signal.</summary>
    public static string Text { get; } = Build(resetSignals: true);

    /// <summary>The wrapper for a node whose /usr/bin/env lacks --default-signal (coreutils before 8.31).</summary>
    public static string TextWithoutSignalReset { get; } = Build(resetSignals: false);

    private static string Build(bool resetSignals) => $$"""
        ( umask 077 && : >"$1/{{SpoolFiles.StandardOutput}}" && : >"$1/{{SpoolFiles.StandardError}}" && : >"$1/{{SpoolFiles.WrapperLog}}" && echo $$ >"$1/{{SpoolFiles.Started}}" ) || { echo "riverrun-wrapper: cannot write to the spool directory $1" >&2; exit {{SpoolUnwritableStatus}}; }
        exec </dev/null >/dev/null 2>>"$1/{{SpoolFiles.WrapperLog}}"
        if [ -n "$2" ] && ! cd -- "$2"; then
          umask 077
          printf 'error={{WorkingDirectoryError}}\n{{WrapperExitRecord.EndLine}}\n' >"$1/{{SpoolFiles.Exit}}"
          exit {{WorkingDirectoryStatus}}
        fi
        trap : TERM INT HUP
        (
          shift 2
          {{(resetSignals ? "case $1 in *=*) ;; *) set -- /usr/bin/env --default-signal -- \"$@\" ;; esac" : ": the env of this node cannot reset signals")}}
          RIVERRUN_TASK_ONLY__REST=${{{RootSensitiveEnvironment.CarrierList}}-}
          while [ -n "$RIVERRUN_TASK_ONLY__REST" ]; do
            RIVERRUN_TASK_ONLY__NAME=${RIVERRUN_TASK_ONLY__REST%% *}
            case $RIVERRUN_TASK_ONLY__REST in *" "*) RIVERRUN_TASK_ONLY__REST=${RIVERRUN_TASK_ONLY__REST#* } ;; *) RIVERRUN_TASK_ONLY__REST= ;; esac
            case $RIVERRUN_TASK_ONLY__NAME in ''|[0-9]*|*[!A-Za-z0-9_]*) continue ;; esac
            eval "export $RIVERRUN_TASK_ONLY__NAME=\"\${{{RootSensitiveEnvironment.CarrierPrefix}}$RIVERRUN_TASK_ONLY__NAME-}\"; unset {{RootSensitiveEnvironment.CarrierPrefix}}$RIVERRUN_TASK_ONLY__NAME"
          done
          unset {{RootSensitiveEnvironment.CarrierList}} RIVERRUN_TASK_ONLY__REST RIVERRUN_TASK_ONLY__NAME
          exec "$@"
        ) </dev/null >"$1/{{SpoolFiles.StandardOutput}}" 2>"$1/{{SpoolFiles.StandardError}}"
        rr_status=$?
        umask 077
        rr_oom_file=
        if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
          while IFS= read -r rr_line; do
            case $rr_line in 0::*) rr_oom_file=/sys/fs/cgroup${rr_line#0::}/memory.events ;; esac
          done </proc/self/cgroup
        else
          rr_unit=
          rr_cpuacct=
          while IFS= read -r rr_line; do
            rr_rest=${rr_line#*:}
            case ${rr_rest%%:*} in memory|memory,*|*,memory|*,memory,*) rr_oom_file=/sys/fs/cgroup/memory${rr_rest#*:}/memory.oom_control ;; esac
            case ${rr_rest%%:*} in
              name=systemd) rr_unit=${rr_rest#*:} ;;
              cpuacct|cpuacct,*|*,cpuacct|*,cpuacct,*) rr_cpuacct=$rr_rest ;;
            esac
          done </proc/self/cgroup
        fi
        rr_oom=
        if [ -n "$rr_oom_file" ] && [ -r "$rr_oom_file" ]; then
          while read -r rr_key rr_value; do
            if [ "$rr_key" = oom_kill ]; then rr_oom=$rr_value; fi
          done <"$rr_oom_file"
        fi
        rr_cpu=
        rr_peak=
        if [ -n "$rr_oom_file" ]; then
          if [ -r "${rr_oom_file%/*}/memory.peak" ]; then read -r rr_peak <"${rr_oom_file%/*}/memory.peak"
          elif [ -r "${rr_oom_file%/*}/memory.max_usage_in_bytes" ]; then read -r rr_peak <"${rr_oom_file%/*}/memory.max_usage_in_bytes"; fi
        fi
        if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
          if [ -n "$rr_oom_file" ] && [ "${rr_oom_file%/*}" != /sys/fs/cgroup ] && [ -r "${rr_oom_file%/*}/cpu.stat" ]; then
            while read -r rr_key rr_value; do
              if [ "$rr_key" = usage_usec ]; then rr_cpu=$rr_value; fi
            done <"${rr_oom_file%/*}/cpu.stat"
          fi
        elif [ -n "$rr_unit" ] && [ "$rr_unit" != / ] && [ "${rr_cpuacct#*:}" = "$rr_unit" ] \
          && [ -r "/sys/fs/cgroup/${rr_cpuacct%%:*}$rr_unit/cpuacct.usage" ]; then
          read -r rr_cpu <"/sys/fs/cgroup/${rr_cpuacct%%:*}$rr_unit/cpuacct.usage"
          case $rr_cpu in ''|*[!0-9]*) rr_cpu= ;; *) rr_cpu=$((rr_cpu / 1000)) ;; esac
        fi
        case $rr_cpu in *[!0-9]*) rr_cpu= ;; esac
        case $rr_peak in *[!0-9]*) rr_peak= ;; esac
        rr_nl='
        '
        rr_record="status=$rr_status$rr_nl"
        if [ -n "$rr_oom" ]; then rr_record="${rr_record}oom_kill=$rr_oom$rr_nl"; fi
        if [ -n "$rr_cpu" ]; then rr_record="${rr_record}cpu_usec=$rr_cpu$rr_nl"; fi
        if [ -n "$rr_peak" ]; then rr_record="${rr_record}memory_peak=$rr_peak$rr_nl"; fi
        if [ -n "$rr_oom_file" ]; then rr_record="${rr_record}oom_source=$rr_oom_file$rr_nl"; fi
        printf '%s{{WrapperExitRecord.EndLine}}\n' "$rr_record" >"$1/{{SpoolFiles.Exit}}"
        exit "$rr_status"
        """;

    /// <summary>
    /// The argv that runs <paramref name="argv"/> under the wrapper:
    /// <c>/bin/sh -c SCRIPT riverrun-wrapper SPOOL WORKDIR ARGV…</c>.
    /// </summary>
    /// <param name="spoolDirectory">The task's spool.</param>
    /// <param name="workingDirectory">Where the task starts; null or empty for none.</param>
    /// <param name="argv">The task's command.</param>
    /// <param name="resetSignals">Whether the node's /usr/bin/env has --default-signal (<see cref="Text"/>) or not (<see cref="TextWithoutSignalReset"/>).</param>
    public static IReadOnlyList<string> Invocation(string spoolDirectory, string? workingDirectory, IEnumerable<string> argv, bool resetSignals = true)
    {
        ArgumentNullException.ThrowIfNull(spoolDirectory);
        ArgumentNullException.ThrowIfNull(argv);
        return ["/bin/sh", "-c", resetSignals ? Text : TextWithoutSignalReset, ArgumentZero, spoolDirectory, workingDirectory ?? string.Empty, .. argv];
    }
}
