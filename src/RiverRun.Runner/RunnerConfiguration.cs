using RiverRun.Configuration;

namespace RiverRun.Runner;

/// <summary>
/// A Runner's effective configuration: <see cref="RunnerOptions"/>' defaults, overridden by
/// runner.toml, by the instance's runner-INSTANCE.toml, by RIVERRUN_* variables, by flags
/// (<see cref="RunnerSettings"/> lists them). <c>riverrun runner</c> starts with it; other commands
/// (e.g. <c>riverrun init service</c>) read the same values with <see cref="Load"/>.
/// </summary>
public static class RunnerConfiguration
{
    /// <summary>Where <c>riverrun runner</c> looks for its file when no --config is given.</summary>
    public const string DefaultPath = "/etc/riverrun/runner.toml";

    /// <summary>
    /// Loads the effective options of the Runner, or of its instance <paramref name="instance"/>.
    /// <paramref name="configPath"/> null means <see cref="DefaultPath"/>, which may be missing; a
    /// file the user named must exist, and so must an instance's file (it holds the instance's share).
    /// </summary>
    /// <remarks>
    /// An instance's node name: a name from its own file or --name is taken as it is; a name shared
    /// with the other Runners of the machine (runner.toml's, RIVERRUN_NAME) or the hostname gets
    /// "-&lt;instance&gt;" appended, so instances never collide with each other or the main Runner.
    /// </remarks>
    /// <param name="configPath">--config, or null.</param>
    /// <param name="instance">--instance, or null for the machine's main Runner.</param>
    /// <param name="environment">Reads a variable (Environment.GetEnvironmentVariable; <c>_ => null</c> to ignore the environment).</param>
    /// <param name="flags">Setting key → text of the flags given (none: an empty dictionary or null).</param>
    /// <exception cref="ConfigurationException">The instance name, a file or a value is wrong; the message names it.</exception>
    public static RunnerOptions Load(string? configPath, string? instance, Func<string, string?> environment, IReadOnlyDictionary<string, string>? flags = null)
    {
        var basePath = configPath ?? DefaultPath;
        List<ConfigFile> files = [new(basePath, Optional: configPath is null, MissingHint: "write one with: riverrun init config --runner --output " + basePath)];
        string? instancePath = null;
        if (instance is not null)
        {
            if (RunnerInstance.Validate(instance) is { } instanceError)
            {
                throw new ConfigurationException($"--instance: {instanceError}");
            }

            instancePath = RunnerInstance.FilePath(basePath, instance);
            files.Add(new(instancePath, Optional: false, MissingHint: $"write one with its share of the machine: riverrun init config --runner --instance {instance} --output {instancePath}"));
        }

        var options = new RunnerOptions { Instance = instance };
        options.Origins = SettingsLoader.Load(RunnerSettings.Table, options, files, environment, flags ?? new Dictionary<string, string>());
        if (instance is not null && options.Name is { } sharedName && !IsInstanceOwn(options.Origins.Of(RunnerSettings.Name), instancePath!))
        {
            options.Name = RunnerInstance.DefaultName(sharedName, instance);
        }

        return options;
    }

    /// <summary>
    /// The commented file <c>riverrun init config --runner [--instance NAME]</c> writes: every
    /// setting at its default, commented out; for an instance, what it inherits from runner.toml.
    /// </summary>
    public static string Template(string? instance = null)
    {
        if (instance is null)
        {
            return ConfigFileWriter.Write(RunnerSettings.Table, new RunnerOptions(),
            [
                "Configuration of riverrun runner, written by `riverrun init config --runner`.",
                $"riverrun runner reads {DefaultPath}, or the file given with --config.",
                "Every setting is shown at its default, commented out: remove the leading '#' to change it.",
                "Precedence: a command-line flag beats its RIVERRUN_* environment variable, which beats this",
                "file, which beats the default. Sizes: 512M, 16G (powers of 1024); cores: 8, 3.5, 0.5.",
                "Instances (riverrun runner --instance NAME) read runner-NAME.toml beside this file over it.",
            ]);
        }

        if (RunnerInstance.Validate(instance) is { } error)
        {
            throw new ArgumentException(error, nameof(instance));
        }

        return ConfigFileWriter.Write(RunnerSettings.Table, new RunnerOptions(),
        [
            $"Configuration of the Runner instance {instance} (riverrun runner --instance {instance}), written by",
            $"`riverrun init config --runner --instance {instance}`; its place is runner-{instance}.toml beside runner.toml.",
            "It is read over runner.toml: what is not set here comes from runner.toml, then the defaults.",
            "Give each instance its own share (cores, memory) so that the Runners of a machine do not overlap.",
            "Every setting is commented out: remove the leading '#' to set it. Precedence: a flag beats",
            "its RIVERRUN_* variable, which beats this file, which beats runner.toml, which beats the default.",
        ],
        new Dictionary<string, string> { [RunnerSettings.Name] = $"<runner.toml's name, else the hostname>-{instance}" });
    }

    private static bool IsInstanceOwn(SettingOrigin? origin, string instancePath) =>
        origin is { Layer: SettingLayer.Flag } || (origin is { Layer: SettingLayer.File } && origin.FilePath == instancePath);
}
