using System.Reflection;
using RiverRun.Core;
using RiverRun.Runner.Inventory;

namespace RiverRun.Runner;

/// <summary>
/// Who this Runner is once the options met the machine: its name, the share it offers, where
/// its state lives and which slice its tasks run in.
/// </summary>
internal sealed record RunnerProfile
{
    public required string Name { get; init; }

    public required Uri HostUrl { get; init; }

    /// <summary>The CA file the Host's certificate must chain to, or null for the system trust store.</summary>
    public string? TrustedCaFile { get; init; }

    /// <summary>Where <see cref="TrustedCaFile"/> was set, for messages.</summary>
    public string TrustedCaSource { get; init; } = "--ca";

    public required double Cores { get; init; }

    public required long MemoryBytes { get; init; }

    /// <summary>&lt;StateDirectory&gt;/&lt;name&gt;: this Runner's own state.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>&lt;StateDirectory&gt;/&lt;name&gt;/tasks: one directory per held task.</summary>
    public string TasksDirectory => Path.Combine(StateDirectory, Tasks.RunnerFileModes.TasksName);

    /// <summary>&lt;StateDirectory&gt;/&lt;name&gt;/spool: one spool per task, owned by the task's user.</summary>
    public string SpoolsDirectory => Path.Combine(StateDirectory, Tasks.RunnerFileModes.SpoolsName);

    /// <summary>Where this Runner's tasks and their spools live.</summary>
    public Tasks.TaskPaths TaskPaths => new(TasksDirectory, SpoolsDirectory);

    /// <summary>The slice this Runner's tasks run in; see <see cref="RunnerSlice"/>.</summary>
    public string Slice => RunnerSlice.For(Name);

    public string Version { get; init; } = CurrentVersion;

    /// <summary>The RiverRun version this assembly belongs to.</summary>
    public static string CurrentVersion { get; } =
        typeof(RunnerProfile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(RunnerProfile).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>Applies the machine's defaults to the options.</summary>
    /// <exception cref="ArgumentException">
    /// The options ask for more than the machine has, or the hostname is no valid name. The message
    /// names the flag to change and carries no parameter name: it is shown to the operator as is.
    /// </exception>
    public static RunnerProfile Resolve(RunnerOptions options, NodeInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inventory);
        // An instance's default name keeps it apart from the machine's main Runner: node2-gpu0.
        var name = options.Name ?? (options.Instance is null ? inventory.Hostname : RunnerInstance.DefaultName(inventory.Hostname, options.Instance));
        if (NodeName.Validate(name) is { } nameError)
        {
            throw new ArgumentException($"The hostname cannot be this Runner's name ({nameError}); give one with --name.");
        }

        if (options.Cores > inventory.LogicalCores)
        {
            throw new ArgumentException($"{options.Origins.Name(RunnerSettings.Cores)} {options.Cores} is more than this machine's {inventory.LogicalCores} cores.");
        }

        if (options.MemoryBytes > inventory.MemoryBytes)
        {
            throw new ArgumentException($"{options.Origins.Name(RunnerSettings.Memory)} {new ByteSize(options.MemoryBytes.Value)} is more than this machine's {new ByteSize(inventory.MemoryBytes)}.");
        }

        return new RunnerProfile
        {
            Name = name,
            HostUrl = options.HostUrl,
            TrustedCaFile = options.TrustedCaFile,
            TrustedCaSource = options.Origins.Name(RunnerSettings.TrustedCa),
            Cores = options.Cores ?? inventory.LogicalCores,
            MemoryBytes = options.MemoryBytes ?? inventory.MemoryBytes,
            StateDirectory = Path.Combine(options.StateDirectory, name),
        };
    }
}
