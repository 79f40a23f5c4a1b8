using System.Globalization;

namespace RiverRun.Systemd;

/// <summary>
/// Turns a <see cref="ScopeRequest"/> into systemd-run's argv and process environment. Pure: no
/// I/O, so the exact command is unit-tested.
/// </summary>
/// <remarks>
/// The task's environment is never passed with --setenv: it is the environment of the
/// systemd-run process itself, which execs the wrapper, so no value appears on a command line
/// (visible in ps to every user of the node) or is subject to systemd's parsing. The variables
/// that would act on systemd-run while it is still root travel under carrier names that the
/// wrapper turns back into the real ones (see <see cref="RootSensitiveEnvironment"/>).
/// </remarks>
public static class SystemdRunCommandBuilder
{
    public const string Executable = "systemd-run";

    /// <summary>The scope's Description is this followed by the unit name.</summary>
    public const string DescriptionPrefix = "RiverRun task ";

    /// <param name="request">The task.</param>
    /// <param name="resetSignals">Whether the node's /usr/bin/env has --default-signal, which the wrapper then uses (see <see cref="TaskWrapperScript"/>).</param>
    public static IReadOnlyList<string> BuildArguments(ScopeRequest request, bool resetSignals = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();

        var args = new List<string>
        {
            "--scope",
            "--quiet",
            // CollectMode=inactive-or-failed, valid for scopes (systemd-run sets it on every
            // transient unit type): without it a failed scope (e.g. after an OOM kill) stays
            // loaded until someone runs reset-failed. The exit record lives in the spool, so
            // nothing is lost by unloading.
            "--collect",
            $"--unit={request.UnitName}",
            // Without a description systemd uses the whole command line: the multi-line wrapper
            // script (which breaks list-units' one-unit-per-line output) plus the task's argv,
            // readable by every user through systemctl.
            $"--description={DescriptionPrefix}{request.UnitName}",
        };

        if (request.Slice is not null)
        {
            args.Add($"--slice={request.Slice}");
        }

        // Accounting always on, so the scope gets cgroups of its own in every v1 hierarchy even
        // without a limit: otherwise usage and the wrapper's OOM count would be the slice's,
        // i.e. include other tasks.
        args.AddRange(["-p", "CPUAccounting=yes", "-p", "MemoryAccounting=yes"]);

        if (request.CpuQuotaPercent is { } quota)
        {
            args.AddRange(["-p", string.Create(CultureInfo.InvariantCulture, $"CPUQuota={quota}%")]);
        }

        if (request.MemoryMaxBytes is { } memoryMax)
        {
            args.AddRange(["-p", string.Create(CultureInfo.InvariantCulture, $"MemoryMax={memoryMax}"), "-p", "MemorySwapMax=0"]);
        }

        if (request.AllowedCpus is not null)
        {
            args.AddRange(["-p", $"AllowedCPUs={request.AllowedCpus}"]);
        }

        if (request.AllowedMemoryNodes is not null)
        {
            args.AddRange(["-p", $"AllowedMemoryNodes={request.AllowedMemoryNodes}"]);
        }

        if (request.User is not null)
        {
            args.Add($"--uid={request.User}");
        }

        if (request.Group is not null)
        {
            args.Add($"--gid={request.Group}");
        }

        if (request.ExpandEnvironmentOption)
        {
            args.Add("--expand-environment=no");
        }

        args.Add("--");
        args.AddRange(TaskWrapperScript.Invocation(request.SpoolDirectory, request.WorkingDirectory, request.Argv, resetSignals));
        return args;
    }

    /// <summary>
    /// systemd-run's whole process environment: the task's, with the root-sensitive variables
    /// under their carrier names (the wrapper restores them as the task's user).
    /// </summary>
    public static IReadOnlyDictionary<string, string> BuildEnvironment(ScopeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        return RootSensitiveEnvironment.Carry(request.Environment);
    }
}
