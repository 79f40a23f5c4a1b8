using System.CommandLine;
using System.Runtime.Versioning;
using RiverRun.Cli.Output;
using RiverRun.Systemd;
using RiverRun.Systemd.Units;

namespace RiverRun.Cli.Commands;

/// <summary>
/// <c>riverrun init service</c>: writes the systemd units for the Host and/or the Runner, and
/// with --install puts them in place and enables them. A subcommand of <c>riverrun init</c>:
/// register it there with <c>InitServiceCommand.Create(services)</c>.
/// </summary>
public static class InitServiceCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("service", "Write the systemd units for the Host and the Runner (and install them)");
        CommandHelp.SetDetails(command, $"""
            Writes riverrun-host.service and riverrun-host.socket (--host), riverrun-runner.service
            and the template riverrun-runner@.service (--runner), or all four (--all), into
            --output-dir, or with --install into /etc/systemd/system. Every unit is Type=notify with a
            watchdog, restarts on failure, and reads tokens from {ServiceUnitOptions.EnvironmentFilePath}.
            The Host runs as a user of its own, sandboxed, with its data in /var/lib/riverrun and
            its socket on the `listen` address of its configuration (default 127.0.0.1:8700). The
            Runner runs as root, unsandboxed (its tasks would inherit any sandbox); stopping it
            never stops its tasks. Each unit explains its settings in comments.

            --install also creates {ServiceUnitOptions.EnvironmentFilePath} (mode 0600) when it is
            missing, and runs systemctl daemon-reload; --enable enables the units, --now starts them.
            --instance NAME (repeatable) enables riverrun-runner@NAME instead of riverrun-runner:
            that Runner reads runner-NAME.toml layered over the Runner's configuration.

            Exit codes: 0 written, 1 writing or systemctl failed, 2 invalid options (nothing written).

            Examples:
              riverrun init service --all                      # into the current directory, to read
              riverrun init service --host --install --enable --now
              riverrun init service --runner --install --enable --now
              riverrun init service --runner --instance gpu0 --instance gpu1 --install --enable --now
              riverrun init service --all --on-failure notify-admin@%n.service --output-dir units/
            """);
        var host = new Option<bool>("--host") { Description = "The Host's units: riverrun-host.service and riverrun-host.socket" };
        var runner = new Option<bool>("--runner") { Description = "The Runner's units: riverrun-runner.service and riverrun-runner@.service" };
        var all = new Option<bool>("--all") { Description = "Both the Host's and the Runner's units" };
        var instances = new Option<string[]>("--instance")
        {
            Description = "With --runner or --all: a Runner instance to enable, riverrun-runner@NAME (repeatable)",
            HelpName = "NAME",
            Arity = ArgumentArity.ZeroOrMore,
            Validators = { result => Validate(result, UnitSyntax.ValidateInstance) },
        };
        var config = new Option<string?>("--config")
        {
            Description = "The configuration file of the one service asked (--host or --runner)",
            HelpName = "PATH",
        };
        var hostConfig = new Option<string?>("--host-config")
        {
            Description = $"The Host's configuration file [default: {ServiceUnitOptions.DefaultHostConfigPath}]",
            HelpName = "PATH",
        };
        var runnerConfig = new Option<string?>("--runner-config")
        {
            Description = $"The Runner's configuration file [default: {ServiceUnitOptions.DefaultRunnerConfigPath}]",
            HelpName = "PATH",
        };
        var outputDirectory = new Option<string?>("--output-dir")
        {
            Description = "Where to write the units, created if missing [default: the current directory]",
            HelpName = "DIR",
        };
        var onFailure = new Option<string?>("--on-failure")
        {
            Description = "A unit to start when a service fails (OnFailure=), e.g. notify-admin@%n.service",
            HelpName = "UNIT",
            Validators = { result => Validate(result, UnitSyntax.ValidateUnitName) },
        };
        var exec = new Option<string?>("--exec")
        {
            Description = "The riverrun executable the units run [default: this one; riverrun-server when the NativeAOT riverrun handed init to it]",
            HelpName = "PATH",
        };
        var install = new Option<bool>("--install") { Description = "Write into /etc/systemd/system, create the tokens file, daemon-reload" };
        var enable = new Option<bool>("--enable") { Description = "With --install: enable the units (start at boot)" };
        var now = new Option<bool>("--now") { Description = "With --install: start the units now" };
        var root = new Option<string?>("--root")
        {
            Description = "With --install: install under DIR instead of / (an image being built); no daemon-reload, no --now",
            HelpName = "DIR",
        };
        foreach (var option in new Option[] { host, runner, all, instances, config, hostConfig, runnerConfig, outputDirectory, onFailure, exec, install, enable, now, root })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!OperatingSystem.IsLinux())
            {
                throw new CliException("riverrun init service: systemd units are for Linux");
            }

            var request = new Request(
                Roles: (parseResult.GetValue(all) ? ServiceRoles.All : ServiceRoles.None)
                    | (parseResult.GetValue(host) ? ServiceRoles.Host : ServiceRoles.None)
                    | (parseResult.GetValue(runner) ? ServiceRoles.Runner : ServiceRoles.None),
                Instances: parseResult.GetValue(instances) ?? [],
                Config: parseResult.GetValue(config),
                HostConfig: parseResult.GetValue(hostConfig),
                RunnerConfig: parseResult.GetValue(runnerConfig),
                OutputDirectory: parseResult.GetValue(outputDirectory),
                OnFailure: parseResult.GetValue(onFailure),
                Executable: parseResult.GetValue(exec),
                Install: parseResult.GetValue(install),
                Enable: parseResult.GetValue(enable),
                Now: parseResult.GetValue(now),
                Root: parseResult.GetValue(root));
            return await RunAsync(request, services.Context, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    [SupportedOSPlatform("linux")]
    private static async Task<int> RunAsync(Request request, CliContext context, CancellationToken cancellationToken)
    {
        // Everything is checked before anything is written.
        var options = request.Check();
        var units = ServiceUnits.Generate(request.Roles, options);
        var output = context.Out;
        if (!request.Install)
        {
            var directory = Path.GetFullPath(request.OutputDirectory ?? ".");
            Directory.CreateDirectory(directory);
            foreach (var unit in units)
            {
                await output.WriteLineAsync("wrote " + UnitFileWriter.Write(directory, unit)).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"""

                Next: read them, then install them with
                  riverrun init service {request.RolesText} --install --enable --now
                or copy them into /etc/systemd/system and run: systemctl daemon-reload
                """).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var installer = new UnitInstaller(request.Root ?? "/");
        InstallResult result;
        try
        {
            result = installer.WriteFiles(units);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CliException($"cannot install the units: {ex.Message}; --install writes to /etc and needs root: try sudo riverrun init service ...", ex);
        }

        foreach (var path in result.UnitPaths)
        {
            await output.WriteLineAsync("wrote " + path).ConfigureAwait(false);
        }

        // Never the file's content: it holds (or will hold) tokens.
        await output.WriteLineAsync(result.EnvironmentFileCreated
            ? $"created {result.EnvironmentFile} (mode 0600, empty): put the tokens there"
            : $"kept {result.EnvironmentFile}").ConfigureAwait(false);
        if (result.EnvironmentFileWarning is { } warning)
        {
            await context.Error.WriteLineAsync("riverrun: warning: " + warning).ConfigureAwait(false);
        }

        var toEnable = request.UnitsToEnable();
        try
        {
            await installer.ActivateAsync(toEnable, request.Enable, request.Now, cancellationToken).ConfigureAwait(false);
        }
        catch (SystemctlException ex)
        {
            throw new CliException($"the units are written, but systemctl failed: {ex.Message}", ex);
        }
        catch (CommandStartException ex)
        {
            throw new CliException($"the units are written, but systemctl could not run: {ex.Message}", ex);
        }

        if (installer.IsLiveSystem)
        {
            await output.WriteLineAsync("ran systemctl daemon-reload").ConfigureAwait(false);
        }

        var names = string.Join(' ', toEnable);
        if (request.Enable || request.Now)
        {
            await output.WriteLineAsync($"{(request.Now ? "enabled and started" : "enabled")} {names}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"""

            Next:
              put the tokens in {ServiceUnitOptions.EnvironmentFilePath} (RIVERRUN_TOKEN=...)
            {(request.Now ? string.Empty : $"  systemctl {(request.Enable ? "start" : "enable --now")} {names}\n")}  systemctl status {names}
              journalctl -u {toEnable[^1]} -f
            """).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static void Validate(System.CommandLine.Parsing.OptionResult result, Func<string, string?> check)
    {
        foreach (var token in result.Tokens)
        {
            if (check(token.Value) is { } error)
            {
                result.AddError($"{result.Option.Name} {token.Value}: {error}");
            }
        }
    }

    private sealed record Request(
        ServiceRoles Roles,
        IReadOnlyList<string> Instances,
        string? Config,
        string? HostConfig,
        string? RunnerConfig,
        string? OutputDirectory,
        string? OnFailure,
        string? Executable,
        bool Install,
        bool Enable,
        bool Now,
        string? Root)
    {
        public string RolesText => Roles switch
        {
            ServiceRoles.Host => "--host",
            ServiceRoles.Runner => "--runner",
            _ => "--all",
        } + string.Concat(Instances.Select(i => " --instance " + i));

        /// <summary>The options for the generator, or a usage error naming the flag at fault.</summary>
        public ServiceUnitOptions Check()
        {
            if (Roles == ServiceRoles.None)
            {
                throw CliException.Usage("say which units to write: --host, --runner or --all (see riverrun init service --help)");
            }

            if (Instances.Count > 0 && !Roles.HasFlag(ServiceRoles.Runner))
            {
                throw CliException.Usage("--instance names a Runner instance; add --runner (or --all)");
            }

            if (Instances.Distinct(StringComparer.Ordinal).Count() != Instances.Count)
            {
                throw CliException.Usage("--instance: the same instance is named twice");
            }

            if (Config is not null && Roles == ServiceRoles.All)
            {
                throw CliException.Usage("--config is for one service; with --all give --host-config and --runner-config");
            }

            if (Config is not null && (Roles == ServiceRoles.Host ? HostConfig : RunnerConfig) is not null)
            {
                throw CliException.Usage($"--config and {(Roles == ServiceRoles.Host ? "--host-config" : "--runner-config")} both name the configuration; give one");
            }

            if (HostConfig is not null && !Roles.HasFlag(ServiceRoles.Host))
            {
                throw CliException.Usage("--host-config is the Host's configuration; add --host (or --all)");
            }

            if (RunnerConfig is not null && !Roles.HasFlag(ServiceRoles.Runner))
            {
                throw CliException.Usage("--runner-config is the Runner's configuration; add --runner (or --all)");
            }

            if ((Enable || Now || Root is not null) && !Install)
            {
                throw CliException.Usage("--enable, --now and --root go with --install");
            }

            if (Install && OutputDirectory is not null)
            {
                throw CliException.Usage("--output-dir and --install both say where the units go; give one (--root DIR installs under DIR)");
            }

            if (Now && Root is not null)
            {
                throw CliException.Usage("--now cannot start units installed under --root (another system); drop --now");
            }

            var executable = Executable ?? Environment.ProcessPath;
            if (executable is null || Path.GetFileNameWithoutExtension(executable) == "dotnet")
            {
                throw CliException.Usage("cannot tell where the riverrun executable is (run through dotnet?); give it with --exec /path/to/riverrun");
            }

            var hostConfig = Roles == ServiceRoles.Host ? Config ?? HostConfig : HostConfig;
            var runnerConfig = Roles == ServiceRoles.Runner ? Config ?? RunnerConfig : RunnerConfig;
            var host = UnitHostListen.Load(Roles.HasFlag(ServiceRoles.Host) ? FullPath(hostConfig) : null);
            var options = new ServiceUnitOptions
            {
                Executable = Path.IsPathFullyQualified(executable) ? executable : Path.GetFullPath(executable),
                HostConfigPath = FullPath(hostConfig) ?? ServiceUnitOptions.DefaultHostConfigPath,
                RunnerConfigPath = FullPath(runnerConfig) ?? ServiceUnitOptions.DefaultRunnerConfigPath,
                HostListen = host.Listen,
                HostTlsCertificate = host.TlsCertificate,
                HostTlsKey = host.TlsKey,
                OnFailure = OnFailure,
            };
            if (options.Validate() is [var first, ..])
            {
                throw CliException.Usage(first);
            }

            return options;
        }

        /// <summary>What --enable/--now act on: the Host's socket and service; the Runner or its instances.</summary>
        public List<string> UnitsToEnable()
        {
            var units = new List<string>();
            if (Roles.HasFlag(ServiceRoles.Host))
            {
                units.AddRange([HostUnits.SocketName, HostUnits.ServiceName]);
            }

            if (Roles.HasFlag(ServiceRoles.Runner))
            {
                units.AddRange(Instances.Count > 0 ? Instances.Select(RunnerUnits.InstanceUnit) : [RunnerUnits.ServiceName]);
            }

            return units;
        }

        // A relative path means the same file whatever directory systemd runs the service from.
        private static string? FullPath(string? path) => path is null ? null : Path.GetFullPath(path);
    }
}
