using System.Text.RegularExpressions;

namespace RiverRun.Systemd;

/// <summary>
/// Everything the mechanism needs to start one task in one transient scope. Deliberately
/// free of domain types: the policy layer decides the values, this layer only applies them.
/// </summary>
public sealed partial record ScopeRequest
{
    /// <summary>Prefix of every task scope, so that a restarted Runner can find them again.</summary>
    public const string UnitPrefix = "riverrun-";

    /// <summary>
    /// "riverrun-&lt;id&gt;", without ".scope" (systemd-run appends it). Only [a-z0-9-]: such a
    /// name needs no unit-name escaping and is safe in a path and a glob.
    /// </summary>
    public required string UnitName { get; init; }

    /// <summary>The slice to run in, e.g. "riverrun-node1.slice"; null for systemd's default.</summary>
    public string? Slice { get; init; }

    /// <summary>CPUQuota in percent of one CPU (200 = two cores); null for no limit.</summary>
    public int? CpuQuotaPercent { get; init; }

    /// <summary>MemoryMax in bytes; null for no limit. When set, swap is forbidden too.</summary>
    public long? MemoryMaxBytes { get; init; }

    /// <summary>A cpuset list such as "0-3,8"; null for all CPUs.</summary>
    public string? AllowedCpus { get; init; }

    /// <summary>A NUMA node list such as "0"; null for all nodes.</summary>
    public string? AllowedMemoryNodes { get; init; }

    /// <summary>
    /// The user to run as, or null for the Runner's own user. Prefer a name: systemd-run sets
    /// USER and LOGNAME to exactly this string, so a uid would give USER=1000.
    /// </summary>
    public string? User { get; init; }

    /// <summary>The group to run as; null for the user's primary group.</summary>
    public string? Group { get; init; }

    /// <summary>An absolute directory to start the task in; null to start in "/".</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// The task's whole environment. Note that with <see cref="User"/> set, systemd-run itself
    /// overrides HOME, SHELL, USER and LOGNAME from the user database and adds INVOCATION_ID.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The task's argv; argv[0] is looked up on the task's PATH.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>Absolute directory where the wrapper writes the task's output and exit record.</summary>
    public required string SpoolDirectory { get; init; }

    /// <summary>
    /// True when systemd-run knows --expand-environment (systemd 254 and later), so the builder
    /// turns expansion of "$VAR" in the command line off explicitly.
    /// </summary>
    public bool ExpandEnvironmentOption { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (!UnitNamePattern().IsMatch(UnitName ?? string.Empty))
        {
            throw new ArgumentException($"UnitName '{UnitName}' must be '{UnitPrefix}' followed by [a-z0-9-] only.", nameof(UnitName));
        }

        if (Slice is not null && !SlicePattern().IsMatch(Slice))
        {
            throw new ArgumentException($"Slice '{Slice}' must be a unit name ending in '.slice' ([A-Za-z0-9_.:-] only).", nameof(Slice));
        }

        if (CpuQuotaPercent is <= 0)
        {
            throw new ArgumentException("CpuQuotaPercent must be positive.", nameof(CpuQuotaPercent));
        }

        if (MemoryMaxBytes is <= 0)
        {
            throw new ArgumentException("MemoryMaxBytes must be positive.", nameof(MemoryMaxBytes));
        }

        if (AllowedCpus is not null && !IndexListPattern().IsMatch(AllowedCpus))
        {
            throw new ArgumentException($"AllowedCpus '{AllowedCpus}' is not a list like '0-3,8'.", nameof(AllowedCpus));
        }

        if (AllowedMemoryNodes is not null && !IndexListPattern().IsMatch(AllowedMemoryNodes))
        {
            throw new ArgumentException($"AllowedMemoryNodes '{AllowedMemoryNodes}' is not a list like '0' or '0-1'.", nameof(AllowedMemoryNodes));
        }

        // systemd-run's option parser takes the rest of the word as the value, but a leading '-'
        // or an embedded '=' or whitespace would be an invalid name anyway: refuse it here clearly.
        if (User is not null && !AccountPattern().IsMatch(User))
        {
            throw new ArgumentException($"User '{User}' is not a valid user name or uid.", nameof(User));
        }

        if (Group is not null && !AccountPattern().IsMatch(Group))
        {
            throw new ArgumentException($"Group '{Group}' is not a valid group name or gid.", nameof(Group));
        }

        if (WorkingDirectory is not null && !IsAbsolute(WorkingDirectory))
        {
            throw new ArgumentException($"WorkingDirectory '{WorkingDirectory}' must be an absolute path.", nameof(WorkingDirectory));
        }

        if (!IsAbsolute(SpoolDirectory))
        {
            throw new ArgumentException($"SpoolDirectory '{SpoolDirectory}' must be an absolute path.", nameof(SpoolDirectory));
        }

        if (Argv is null || Argv.Count == 0 || string.IsNullOrEmpty(Argv[0]))
        {
            throw new ArgumentException("Argv must contain at least the program to run.", nameof(Argv));
        }

        if (Argv.Any(a => a is null || a.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Argv must not contain null or NUL characters.", nameof(Argv));
        }

        ArgumentNullException.ThrowIfNull(Environment, nameof(Environment));
        foreach (var (name, value) in Environment)
        {
            EnvironmentNames.Validate(name, nameof(Environment));
            if (value is null || value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Environment variable '{name}' must have a value without NUL characters.", nameof(Environment));
            }

            // The carriers are the mechanism's own (see RootSensitiveEnvironment): a variable of
            // that name would be taken for one, or overwritten.
            if (name.StartsWith(RootSensitiveEnvironment.CarrierList, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Environment variable '{name}' uses the prefix {RootSensitiveEnvironment.CarrierList}, reserved for carrying root-sensitive variables to the task.", nameof(Environment));
            }

            if (RootSensitiveEnvironment.Contains(name) && !RootSensitiveEnvironment.IsCarriable(name))
            {
                throw new ArgumentException($"Environment variable '{name}' reaches the task only, and must then be a portable name (letters, digits and '_', not starting with a digit).", nameof(Environment));
            }
        }
    }

    private static bool IsAbsolute(string? path) =>
        !string.IsNullOrEmpty(path) && path[0] == '/' && !path.Contains('\0', StringComparison.Ordinal);

    [GeneratedRegex("^riverrun-[a-z0-9-]+$")]
    private static partial Regex UnitNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.:\\-]+\.slice$")]
    private static partial Regex SlicePattern();

    [GeneratedRegex("^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$")]
    private static partial Regex IndexListPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*[$]?$")]
    private static partial Regex AccountPattern();
}
