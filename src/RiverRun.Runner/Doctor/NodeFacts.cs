using RiverRun.Systemd;

namespace RiverRun.Runner.Doctor;

/// <summary>
/// What <see cref="NodeProbe"/> found on a node, for <see cref="DoctorChecks"/> to judge. Plain
/// data, so every judgement can be tested with made-up facts.
/// </summary>
public sealed record NodeFacts
{
    /// <summary>The command name of PID 1 (/proc/1/comm), or null when unreadable.</summary>
    public string? Pid1Name { get; init; }

    /// <summary>Whether /run/systemd/system exists (systemd's own test for "booted with systemd").</summary>
    public bool SystemdBooted { get; init; }

    /// <summary>systemd's version, or null with <see cref="SystemdVersionError"/>.</summary>
    public int? SystemdVersion { get; init; }

    /// <summary>Why the version could not be read.</summary>
    public string? SystemdVersionError { get; init; }

    /// <summary>The cgroup layout under /sys/fs/cgroup.</summary>
    public CgroupVersion CgroupVersion { get; init; }

    /// <summary>Every cgroup mount (/proc/self/mountinfo).</summary>
    public IReadOnlyList<CgroupMount> CgroupMounts { get; init; } = [];

    /// <summary>What the kernel's cgroup code offers (/sys/kernel/cgroup/features, one per line), or null when unreadable.</summary>
    public IReadOnlyList<string>? KernelCgroupFeatures { get; init; }

    /// <summary>On cgroup v2: the controllers the root offers (cgroup.controllers).</summary>
    public IReadOnlyList<string> V2Available { get; init; } = [];

    /// <summary>On cgroup v2: the controllers enabled for the root's children (cgroup.subtree_control), i.e. delegated to systemd's slices.</summary>
    public IReadOnlyList<string> V2Delegated { get; init; } = [];

    /// <summary>Whether the process runs as root.</summary>
    public bool IsRoot { get; init; }

    /// <summary>The MemoryMax probe, or null when it was not run (no systemd).</summary>
    public ProbeOutcome? MemoryProbe { get; init; }

    /// <summary>The CPUQuota probe, or null when it was not run.</summary>
    public ProbeOutcome? CpuProbe { get; init; }

    /// <summary>The Host's gRPC health answer.</summary>
    public required HostAnswer Host { get; init; }

    /// <summary>The token file's path and what it is.</summary>
    public required TokenFileFacts TokenFile { get; init; }

    /// <summary>What a probe scope did.</summary>
    /// <param name="ExitCode">systemd-run's exit status (the probe command's own), or null when it could not start.</param>
    /// <param name="Output">Its standard output (the CPU probe prints bash's times).</param>
    /// <param name="Error">Its standard error, or why it could not start.</param>
    /// <param name="Wall">How long it ran.</param>
    public sealed record ProbeOutcome(int? ExitCode, string Output, string Error, TimeSpan Wall);

    /// <summary>The Host's answer to grpc.health.v1 Check.</summary>
    /// <param name="Address">The Host address asked.</param>
    /// <param name="Status">The serving status it answered (e.g. "Serving"), or null with <paramref name="Error"/>.</param>
    /// <param name="Error">Why there was no answer.</param>
    public sealed record HostAnswer(string Address, string? Status, string? Error);

    /// <summary>The environment file holding the Runner's token.</summary>
    /// <param name="Path">Its path.</param>
    /// <param name="Exists">Whether it exists.</param>
    /// <param name="Mode">Its permission bits (e.g. 0600), when it exists.</param>
    /// <param name="OwnerUid">Its owner's uid, when it exists and could be read.</param>
    public sealed record TokenFileFacts(string Path, bool Exists, UnixFileMode? Mode, int? OwnerUid);
}
