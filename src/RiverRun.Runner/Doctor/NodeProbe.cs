using System.Diagnostics;
using System.Globalization;
using CliWrap.Buffered;
using RiverRun.Systemd;

namespace RiverRun.Runner.Doctor;

/// <summary>
/// Gathers <see cref="NodeFacts"/> on this node: reads /proc and /sys, asks systemd-run its version
/// (<see cref="SystemdVersion"/>), runs the two short limit probes in real scopes, and stats the
/// token file. Everything it starts goes through CliWrap (<see cref="Commands"/>).
/// </summary>
public sealed class NodeProbe(string systemdRun = SystemdRunCommandBuilder.Executable, string systemctl = "systemctl")
{
    /// <summary>Collects every fact; <paramref name="askHost"/> runs meanwhile (the Host check is the caller's: it owns the channel).</summary>
    public async Task<NodeFacts> GatherAsync(Task<NodeFacts.HostAnswer> askHost, string tokenFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(askHost);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenFile);
        var pid1 = ReadTrimmed("/proc/1/comm");
        var booted = Directory.Exists("/run/systemd/system");
        int? version = null;
        string? versionError = null;
        try
        {
            version = await SystemdVersion.DetectAsync(systemdRun, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CommandStartException or InvalidOperationException)
        {
            versionError = ex.Message;
        }

        var layout = CgroupLayout.Detect();
        var systemdRuns = pid1 == "systemd" && booted;
        var facts = new NodeFacts
        {
            Pid1Name = pid1,
            SystemdBooted = booted,
            SystemdVersion = version,
            SystemdVersionError = versionError,
            CgroupVersion = layout.Version,
            CgroupMounts = ReadCgroupMounts(),
            KernelCgroupFeatures = ReadKernelCgroupFeatures(),
            V2Available = Words(Path.Combine(layout.Root, "cgroup.controllers")),
            V2Delegated = Words(Path.Combine(layout.Root, "cgroup.subtree_control")),
            IsRoot = Environment.IsPrivilegedProcess,
            // Without systemd as PID 1 systemd-run cannot make a scope: do not even try.
            MemoryProbe = systemdRuns ? await ProbeAsync("memory", ["-p", $"MemoryMax={DoctorChecks.MemoryProbeLimit}", "-p", "MemorySwapMax=0"], DoctorChecks.MemoryProbeCommand, cancellationToken).ConfigureAwait(false) : null,
            CpuProbe = systemdRuns ? await ProbeAsync("cpu", ["-p", $"CPUQuota={DoctorChecks.CpuProbeQuota}"], DoctorChecks.CpuProbeCommand, cancellationToken).ConfigureAwait(false) : null,
            Host = await askHost.ConfigureAwait(false),
            TokenFile = await StatAsync(tokenFile, cancellationToken).ConfigureAwait(false),
        };
        return facts;
    }

    private async Task<NodeFacts.ProbeOutcome> ProbeAsync(string name, IReadOnlyList<string> properties, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var unit = $"riverrun-doctor-{name}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await Commands.Wrap(systemdRun)
                .WithArguments(["--scope", "--quiet", $"--unit={unit}", .. properties, "--", .. command])
                .StartBuffered(cancellationToken)
                .ConfigureAwait(false);
            return new(result.ExitCode, result.StandardOutput, result.StandardError, Stopwatch.GetElapsedTime(started));
        }
        catch (CommandStartException ex)
        {
            return new(null, string.Empty, ex.Message, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            // On cgroup v1 an ended scope stays loaded until stopped; leave nothing behind.
            try
            {
                await Commands.Wrap(systemctl).WithArguments(["stop", "--quiet", $"{unit}.scope"]).StartBuffered(CancellationToken.None).ConfigureAwait(false);
            }
            catch (CommandStartException)
            {
                // No systemctl: the probe did not run either, and its outcome says so.
            }
        }
    }

    private static async Task<NodeFacts.TokenFileFacts> StatAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return new(path, false, null, null);
        }

        var mode = File.GetUnixFileMode(path);
        int? owner = null;
        try
        {
            // .NET has no API for a file's owner; stat(1) prints it.
            var stat = await Commands.Wrap("stat").WithArguments(["--format=%u", "--", path]).StartBuffered(cancellationToken).ConfigureAwait(false);
            if (stat.IsSuccess && int.TryParse(stat.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                owner = uid;
            }
        }
        catch (CommandStartException)
        {
            // Owner unknown: the check says so.
        }

        return new(path, true, mode, owner);
    }

    /// <summary>Every cgroup mount this process sees (/proc/self/mountinfo).</summary>
    public static IReadOnlyList<CgroupMount> ReadCgroupMounts() => CgroupMount.Parse(ReadTrimmed("/proc/self/mountinfo") ?? string.Empty);

    /// <summary>What the kernel's cgroup code offers (/sys/kernel/cgroup/features), or null when unreadable.</summary>
    public static IReadOnlyList<string>? ReadKernelCgroupFeatures() =>
        ReadTrimmed("/sys/kernel/cgroup/features") is { } features ? features.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static List<string> Words(string path) =>
        ReadTrimmed(path) is { } text ? [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries)] : [];
}
