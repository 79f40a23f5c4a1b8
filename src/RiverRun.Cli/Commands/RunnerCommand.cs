using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Configuration;
using RiverRun.Runner;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun runner</c>: run a Runner service on this node in the foreground.</summary>
public static class RunnerCommand
{
    /// <summary>What --help says of it; also the NativeAOT client's placeholder for it (<see cref="ServerHandoff"/>).</summary>
    public const string Description = "Run a Runner service: executes this node's tasks in systemd scopes";

    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("runner", Description);
        CommandHelp.SetDetails(command, $"""
            Dials the Host given by --host (or RIVERRUN_HOST), registers this node, and runs the
            tasks the Host sends, each in a transient systemd scope (riverrun-<task id>.scope)
            whose CPUQuota and MemoryMax enforce the task's share. Keeps the connection open and
            reconnects by itself when the Host goes away; tasks keep running meanwhile, and a
            restarted Runner re-adopts them. Needs root and systemd as the node's init.

            Configuration: each setting is taken from its flag, else its RIVERRUN_* variable, else
            the file (--config, default {RunnerConfiguration.DefaultPath}; a missing default file is
            fine), else its default. Keys in the file are the flags in snake_case: host, name,
            cores, memory, state_dir, ca. `riverrun init config --runner` writes a commented file.
            A bad file stops the start, naming file, line and key.

            Several Runners may share a machine, each with its own share: --instance NAME reads
            runner-NAME.toml beside runner.toml as well (its settings win; what it leaves out
            comes from runner.toml), and is named <node name>-NAME unless its own file or --name
            names it — with that, its own state directory and its own slice for its tasks.

            Exit codes: 0 stopped cleanly, 2 invalid options or configuration, 1 when it cannot
            start otherwise (the message says why).

            Examples:
              riverrun runner --host http://head:8700
              riverrun runner --host https://head:8700 --ca /etc/riverrun/tls/ca.crt
              riverrun runner --config /etc/riverrun/runner.toml
              riverrun runner --instance gpu0         # runner.toml + runner-gpu0.toml, node name <host>-gpu0
              riverrun runner --host http://head:8700 --name node2-gpu0 --cores 8 --memory 64G
            """);
        var config = new Option<string?>("--config")
        {
            Description = $"The configuration file (TOML) [default: {RunnerConfiguration.DefaultPath}, which may be missing]",
            HelpName = "PATH",
        };
        var instance = new Option<string?>("--instance")
        {
            Description = $"Run as this instance of the machine's Runners: reads runner-NAME.toml beside the configuration file; {RunnerInstance.Rule}",
            HelpName = "NAME",
        };
        instance.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (RunnerInstance.Validate(token.Value) is { } error)
                {
                    result.AddError("--instance: " + error);
                }
            }
        });
        command.Options.Add(config);
        command.Options.Add(instance);
        // --host is the global option: the same flag names the Host for every command.
        var flags = SettingFlags.Add(command, RunnerSettings.Table, new RunnerOptions(), new Dictionary<string, Option<string?>> { [RunnerSettings.Host] = services.HostOption, [RunnerSettings.TrustedCa] = services.CaOption });
        command.SetAction((parseResult, cancellationToken) =>
        {
            RunnerOptions options;
            try
            {
                options = RunnerConfiguration.Load(
                    parseResult.GetValue(config), parseResult.GetValue(instance), services.Context.GetEnvironmentVariable, SettingFlags.Given(parseResult, flags));
            }
            catch (ConfigurationException ex)
            {
                throw SettingFlags.ToUsageError(ex);
            }

            return RunnerApplication.RunAsync(options, cancellationToken);
        });
        return command;
    }
}
