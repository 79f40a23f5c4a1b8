using System.Globalization;
using System.Text.RegularExpressions;
using RiverRun.Systemd;

namespace RiverRun.Runner.Doctor;

/// <summary>
/// Judges <see cref="NodeFacts"/>: one <see cref="DoctorCheck"/> per thing a Runner needs, each
/// failure with how to fix it. Pure: <see cref="NodeProbe"/> gathers the facts.
/// </summary>
public static partial class DoctorChecks
{
    /// <summary>The oldest systemd whose scopes take MemoryMax= (231) and CPUQuota= above 100%.</summary>
    public const int MinimumSystemdVersion = 232;

    /// <summary>The memory probe's limit and what its command tries to hold.</summary>
    public const string MemoryProbeLimit = "16M";

    /// <summary>The CPU probe's quota; a busy loop under it must use well under its wall time.</summary>
    public const string CpuProbeQuota = "20%";

    /// <summary>How long the CPU probe's busy loop runs.</summary>
    public static readonly TimeSpan CpuProbeDuration = TimeSpan.FromSeconds(1);

    // Unenforced, the loop gets close to 1 s of CPU in its 1 s; at 20% it gets about 0.2 s. Half is
    // far from both, so a busy machine does not make an enforced quota look broken.
    private const double CpuEnforcedBelowFraction = 0.5;

    private static readonly string[] RequiredControllers = ["cpu", "memory"];
    private static readonly string[] OptionalControllers = ["pids", "cpuset"];

    /// <summary>
    /// The memory probe's command (after <c>systemd-run ... --</c>): a pipe whose reader keeps one
    /// 64 MiB line in memory. Under MemoryMax=16M it is killed (exit 137); unenforced, it exits 0.
    /// </summary>
    public static IReadOnlyList<string> MemoryProbeCommand { get; } = ["sh", "-c", "head -c 67108864 /dev/zero | tail -n 1 > /dev/null"];

    /// <summary>The CPU probe's command: a busy loop for one second, then bash's <c>times</c> (the children's CPU time on its second line).</summary>
    public static IReadOnlyList<string> CpuProbeCommand { get; } =
        ["bash", "-c", $"timeout {CpuProbeDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture)} sh -c 'while :; do :; done'; times"];

    /// <summary>Every check, in the order doctor prints them.</summary>
    public static IReadOnlyList<DoctorCheck> Evaluate(NodeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return [Systemd(facts), Cgroups(facts), MemoryLimit(facts.MemoryProbe), CpuLimit(facts.CpuProbe), LaunchLatency(facts), Root(facts), Host(facts.Host), TokenFile(facts.TokenFile)];
    }

    /// <summary>systemd is PID 1, booted as init, and recent enough.</summary>
    public static DoctorCheck Systemd(NodeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        const string Name = "systemd";
        if (facts.Pid1Name != "systemd" || !facts.SystemdBooted)
        {
            return DoctorCheck.Fail(
                Name,
                $"PID 1 is {(facts.Pid1Name is null ? "unknown" : $"'{facts.Pid1Name}'")}, not systemd{(facts.SystemdBooted ? string.Empty : " (/run/systemd/system is missing)")}",
                "run the Runner on a machine or container booted with systemd as PID 1 (a container: systemd-nspawn -b, or see deploy/sandbox); tasks run in systemd scopes, which enforce their limits");
        }

        if (facts.SystemdVersion is not { } version)
        {
            return DoctorCheck.Fail(Name, $"systemd is PID 1 but its version is unknown: {facts.SystemdVersionError}", "install systemd's tools (Debian/Ubuntu: apt-get install systemd) so that systemd-run is on the PATH");
        }

        return version < MinimumSystemdVersion
            ? DoctorCheck.Fail(Name, $"systemd {version} is PID 1, older than {MinimumSystemdVersion}", $"upgrade systemd to {MinimumSystemdVersion} or newer (MemoryMax= and CPUQuota= on scopes)")
            : DoctorCheck.Pass(Name, $"systemd {version} is PID 1");
    }

    /// <summary>cpu and memory controllers usable (v2: available; v1: mounted read-write); pids and cpuset reported.</summary>
    public static DoctorCheck Cgroups(NodeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        const string Name = "cgroups";
        if (facts.CgroupVersion == CgroupVersion.Unified)
        {
            var missing = RequiredControllers.Where(c => !facts.V2Available.Contains(c)).ToList();
            var detail = $"v2 (unified); available: {List(facts.V2Available)}; delegated to slices: {List(facts.V2Delegated)}";
            return missing.Count > 0
                ? DoctorCheck.Fail(Name, $"{detail}; missing: {string.Join(", ", missing)}", $"the kernel or the container manager does not offer {string.Join(" and ", missing)}: enable them (boot with cgroup_enable=memory; a container needs Delegate=yes)")
                : DoctorCheck.Pass(Name, detail + OptionalNote(facts.V2Available));
        }

        var writable = new List<string>();
        var readOnly = new List<string>();
        foreach (var controller in RequiredControllers.Concat(OptionalControllers))
        {
            var mount = facts.CgroupMounts.FirstOrDefault(m => !m.Version2 && m.Controllers.Contains(controller));
            if (mount is not null)
            {
                (mount.ReadOnly ? readOnly : writable).Add(controller);
            }
        }

        var v1Detail = $"v1 (legacy/hybrid); writable: {List(writable)}{(readOnly.Count > 0 ? $"; read-only: {string.Join(", ", readOnly)}" : string.Empty)}";
        var unusable = RequiredControllers.Where(c => !writable.Contains(c)).ToList();
        if (unusable.Count == 0)
        {
            return DoctorCheck.Pass(Name, v1Detail + OptionalNote(writable));
        }

        var fix = unusable.Any(readOnly.Contains)
            ? $"mount the {string.Join(" and ", unusable)} hierarchies read-write (in a container: mount -o remount,bind,rw /sys/fs/cgroup/CONTROLLER before systemd starts; see deploy/sandbox): read-only, systemd records limits but nothing enforces them"
            : $"mount the {string.Join(" and ", unusable)} controllers (systemd does so at boot when the kernel has them)";
        return DoctorCheck.Fail(Name, $"{v1Detail}; unusable: {string.Join(", ", unusable)}", fix);
    }

    /// <summary>The MemoryMax probe was killed.</summary>
    public static DoctorCheck MemoryLimit(NodeFacts.ProbeOutcome? probe)
    {
        const string Name = "memory limit";
        const string What = $"a scope with MemoryMax={MemoryProbeLimit} around a process that holds 64M";
        return probe switch
        {
            null => DoctorCheck.Fail(Name, "not probed: systemd is not PID 1", "fix the systemd check first"),
            { ExitCode: null } => DoctorCheck.Fail(Name, $"systemd-run could not be started: {probe.Error}", "install systemd and run doctor as root"),
            { ExitCode: 128 + 9 } => DoctorCheck.Pass(Name, $"enforced: {What} was killed (SIGKILL) in {Milliseconds(probe.Wall)}"),
            { ExitCode: 0 } => DoctorCheck.Fail(Name, $"not enforced: {What} ran to completion", "the memory controller does not act on scopes; see the cgroups check (mounted read-write? delegated?)"),
            _ => DoctorCheck.Fail(Name, $"the probe failed with exit {probe.ExitCode}: {FirstLine(probe.Error)}", "read systemd-run's message; run doctor as root on a node booted with systemd"),
        };
    }

    /// <summary>The CPUQuota probe used well under its wall time.</summary>
    public static DoctorCheck CpuLimit(NodeFacts.ProbeOutcome? probe)
    {
        const string Name = "cpu limit";
        var what = $"a scope with CPUQuota={CpuProbeQuota} around a {CpuProbeDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s busy loop";
        if (probe is null)
        {
            return DoctorCheck.Fail(Name, "not probed: systemd is not PID 1", "fix the systemd check first");
        }

        if (probe.ExitCode is null)
        {
            return DoctorCheck.Fail(Name, $"systemd-run could not be started: {probe.Error}", "install systemd and run doctor as root");
        }

        if (probe.ExitCode != 0 || ChildrenCpuSeconds(probe.Output) is not { } cpu)
        {
            return DoctorCheck.Fail(Name, $"the probe failed with exit {probe.ExitCode}: {FirstLine(probe.Error)}", "read systemd-run's message; run doctor as root on a node booted with systemd");
        }

        var used = $"{what} used {cpu.ToString("0.00", CultureInfo.InvariantCulture)} s of CPU";
        return cpu < CpuProbeDuration.TotalSeconds * CpuEnforcedBelowFraction
            ? DoctorCheck.Pass(Name, "enforced: " + used)
            : DoctorCheck.Fail(Name, "not enforced: " + used, "the cpu controller does not act on scopes; see the cgroups check (mounted read-write? delegated?)");
    }

    /// <summary>
    /// Whether the kernel makes each task wait when systemd moves it into its scope: a note (never a
    /// failure) when the favordynmods cgroup option is off or cannot be seen from here.
    /// </summary>
    /// <remarks>
    /// systemd-run --scope asks systemd to move systemd-run's own process into the new scope's
    /// cgroups. Since Linux 6.0 such a move write-locks a percpu rwsem, which waits for an RCU grace
    /// period unless another move happened within the last one: back-to-back launches are fast, but
    /// the first launch after a quiet moment (every `riverrun run` on an idle node) waited 10-35 ms
    /// for it on this project's 2-core VM, about as long as the whole launch otherwise takes.
    /// favordynmods (a cgroup2 mount option, changeable on remount, or the cgroup_favordynmods=true
    /// boot option since Linux 6.7 for v1 and v2) keeps that lock in its slow mode instead, so no move
    /// waits; the kernel documents fork and exit as dearer in exchange (on 6.18 an rwsem read each,
    /// by its source; not measured against "off" here, because on 6.18 the option, once set, stays in
    /// force until reboot).
    /// Before 6.0 the lock never waited.
    /// </remarks>
    public static DoctorCheck LaunchLatency(NodeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return LaunchLatency(facts.CgroupMounts, facts.KernelCgroupFeatures);
    }

    /// <summary>The same check from the two facts it reads, for the Runner's start (which gathers no <see cref="NodeFacts"/>).</summary>
    /// <param name="cgroupMounts">Every cgroup mount (<see cref="CgroupMount.Parse"/> of /proc/self/mountinfo).</param>
    /// <param name="kernelCgroupFeatures">/sys/kernel/cgroup/features, one per entry; null when unreadable.</param>
    public static DoctorCheck LaunchLatency(IReadOnlyList<CgroupMount> cgroupMounts, IReadOnlyList<string>? kernelCgroupFeatures)
    {
        ArgumentNullException.ThrowIfNull(cgroupMounts);
        const string Name = "launch latency";
        const string Persist = "to keep it across reboots, boot with cgroup_favordynmods=true (Linux 6.7 or newer) or run the remount from a oneshot unit at boot";
        if (cgroupMounts.FirstOrDefault(m => m.FavorsDynamicModifications) is { } favoring)
        {
            return DoctorCheck.Pass(Name, $"favordynmods is on ({favoring.MountPoint}): a task joins its scope without waiting for an RCU grace period");
        }

        if (kernelCgroupFeatures is { } features && !features.Contains(CgroupMount.FavorDynModsOption))
        {
            return DoctorCheck.Pass(Name, "the kernel predates favordynmods (Linux 6.0): moving a task into its scope does not wait for an RCU grace period there");
        }

        if (cgroupMounts.FirstOrDefault(m => m.Version2) is { } unified)
        {
            return DoctorCheck.Note(
                Name,
                "favordynmods is off: on a node that was idle, moving each task into its scope waits for an RCU grace period (10-35 ms per launch measured on a 2-core VM)",
                $"mount -o remount,favordynmods {unified.MountPoint} (until the next boot; {Persist})");
        }

        return DoctorCheck.Note(
            Name,
            "favordynmods cannot be seen from here (no cgroup2 mount, as in a container on a cgroup v1 or hybrid machine); without it each launch on an idle node waits for an RCU grace period",
            $"on the machine: grep favordynmods /proc/mounts; if absent, mount -o remount,favordynmods /sys/fs/cgroup/unified (or /sys/fs/cgroup on cgroup v2); {Persist}");
    }

    /// <summary>Running as root.</summary>
    public static DoctorCheck Root(NodeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.IsRoot
            ? DoctorCheck.Pass("root", "running as root")
            : DoctorCheck.Fail("root", "not running as root", "run doctor (and the Runner) as root, e.g. sudo riverrun doctor: the Runner starts scopes as other users and stops them");
    }

    /// <summary>The Host answered its health check with SERVING.</summary>
    public static DoctorCheck Host(NodeFacts.HostAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        const string Name = "host";
        if (answer.Status is null)
        {
            return DoctorCheck.Fail(
                Name,
                $"cannot reach the Host at {answer.Address}: {answer.Error}",
                "start the Host (systemctl start riverrun-host) or point at it with --host URL or RIVERRUN_HOST=URL; check that its port is open from this node");
        }

        return answer.Status.Equals("Serving", StringComparison.OrdinalIgnoreCase)
            ? DoctorCheck.Pass(Name, $"the Host at {answer.Address} is serving")
            : DoctorCheck.Fail(Name, $"the Host at {answer.Address} answers {answer.Status}", $"its store or scheduler is unhealthy: see journalctl -u riverrun-host, or curl http://HOST:8701/healthz on the Host");
    }

    /// <summary>The token file, if any, is 0600 (no group or other bits) and owned by root.</summary>
    public static DoctorCheck TokenFile(NodeFacts.TokenFileFacts file)
    {
        ArgumentNullException.ThrowIfNull(file);
        const string Name = "token file";
        if (!file.Exists)
        {
            return DoctorCheck.Pass(Name, $"{file.Path} does not exist (no token stored there)");
        }

        var open = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var mode = file.Mode is { } m ? Convert.ToString((int)m, 8).PadLeft(4, '0') : "unknown";
        var problems = new List<string>();
        var fixes = new List<string>();
        if (file.Mode is not { } bits || (bits & open) != 0)
        {
            problems.Add($"mode {mode} lets other users read it");
            fixes.Add($"chmod 600 {file.Path}");
        }

        if (file.OwnerUid != 0)
        {
            problems.Add($"owned by uid {(file.OwnerUid is { } uid ? uid.ToString(CultureInfo.InvariantCulture) : "unknown")}, not root");
            fixes.Add($"chown root:root {file.Path}");
        }

        return problems.Count == 0
            ? DoctorCheck.Pass(Name, $"{file.Path} is mode 0600 and owned by root")
            : DoctorCheck.Fail(Name, $"{file.Path}: {string.Join("; ", problems)}", string.Join(" and ", fixes) + " (it holds the Runner's token)");
    }

    /// <summary>The children's user + system CPU seconds from bash's <c>times</c> output (its second line, e.g. "0m0.201s 0m0.004s").</summary>
    public static double? ChildrenCpuSeconds(string timesOutput)
    {
        ArgumentNullException.ThrowIfNull(timesOutput);
        var lines = timesOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2)
        {
            return null;
        }

        var matches = TimesValue().Matches(lines[^1]);
        return matches.Count == 2
            ? matches.Sum(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 60) + double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    private static string OptionalNote(IReadOnlyList<string> usable)
    {
        var absent = OptionalControllers.Where(c => !usable.Contains(c)).ToList();
        return absent.Count == 0 ? string.Empty : $" (no {string.Join(", ", absent)}: {(absent.Contains("cpuset") ? "NUMA pinning is not enforced" : "task process counts are not limited")})";
    }

    private static string List(IEnumerable<string> items) => items.Any() ? string.Join(" ", items) : "none";

    private static string Milliseconds(TimeSpan time) => $"{time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";

    private static string FirstLine(string text) => text.Trim().Split('\n', 2)[0];

    [GeneratedRegex(@"([0-9]+)m([0-9]+(?:\.[0-9]+)?)s")]
    private static partial Regex TimesValue();
}
