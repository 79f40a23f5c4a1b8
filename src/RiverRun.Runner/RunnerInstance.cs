namespace RiverRun.Runner;

/// <summary>
/// Runner instances: several Runners on one machine (<c>riverrun runner --instance gpu0</c>, the
/// systemd template riverrun-runner@gpu0), each with its own file runner-gpu0.toml beside
/// runner.toml, its own node name (default &lt;node name&gt;-gpu0), and with it its own state
/// directory (&lt;state_dir&gt;/&lt;name&gt;) and slice (riverrun-&lt;name&gt;.slice).
/// </summary>
public static class RunnerInstance
{
    /// <summary>The longest instance name: room is left for the node name in front of it.</summary>
    public const int MaxLength = 32;

    /// <summary>The rule, for help texts and errors.</summary>
    public const string Rule = "1 to 32 letters, digits, '-' or '_'";

    /// <summary>Why <paramref name="instance"/> is no instance name, or null when it is one.</summary>
    public static string? Validate(string? instance)
    {
        if (string.IsNullOrEmpty(instance))
        {
            return $"the instance name is empty; use {Rule}, e.g. gpu0";
        }

        if (instance.Length > MaxLength)
        {
            return $"instance '{instance}' is {instance.Length} characters long; use {Rule}";
        }

        // Also what is safe in a file name and a systemd unit instance without escaping.
        var bad = instance.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
        return bad == default ? null : $"instance '{instance}' contains '{bad}'; use {Rule}, e.g. gpu0";
    }

    /// <summary>The instance's file: runner-&lt;instance&gt;.toml in the directory of <paramref name="runnerConfigPath"/>.</summary>
    public static string FilePath(string runnerConfigPath, string instance)
    {
        ArgumentException.ThrowIfNullOrEmpty(runnerConfigPath);
        ArgumentException.ThrowIfNullOrEmpty(instance);
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(runnerConfigPath)) ?? "/", $"runner-{instance}.toml");
    }

    /// <summary>The instance's node name when its own file and the flags name none: node2 + gpu0 → node2-gpu0.</summary>
    public static string DefaultName(string nodeName, string instance) => $"{nodeName}-{instance}";
}
