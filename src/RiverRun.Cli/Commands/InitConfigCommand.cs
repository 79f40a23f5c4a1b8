using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Host;
using RiverRun.Runner;

namespace RiverRun.Cli.Commands;

/// <summary>
/// <c>riverrun init config --host|--runner [--instance NAME] [--output PATH|-] [--force]</c>:
/// writes a commented configuration file with every setting at its default.
/// </summary>
public static class InitConfigCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("config", "Write a commented configuration file for the Host or a Runner");
        CommandHelp.SetDetails(command, $"""
            Writes a TOML file listing every setting of `riverrun host` (--host) or `riverrun runner`
            (--runner): one comment saying what it is, its flag and RIVERRUN_* variable, and the
            setting at its default as a commented-out line — remove the '#' to change it.
            Settings are taken from a flag, else the variable, else the file, else the default.
            Never overwrites a file unless --force is given. Prints where it wrote.

            Default output: {HostConfiguration.DefaultPath}, {RunnerConfiguration.DefaultPath}, or for
            --instance NAME the instance's file runner-NAME.toml beside runner.toml, which the instance
            reads over runner.toml (settings it leaves out come from there).

            Examples:
              riverrun init config --host
              riverrun init config --runner
              riverrun init config --runner --instance gpu0     # then set its cores and memory
              riverrun init config --host --output - | less
            """);
        var host = new Option<bool>("--host") { Description = "Write the Host's file (host.toml)" };
        var runner = new Option<bool>("--runner") { Description = "Write a Runner's file (runner.toml, or runner-NAME.toml with --instance)" };
        var instance = new Option<string?>("--instance")
        {
            Description = $"With --runner: the file of this instance of the machine's Runners; {RunnerInstance.Rule}",
            HelpName = "NAME",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Where to write it; - for standard output [default: the service's default location]",
            HelpName = "PATH",
        };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists" };
        command.Options.Add(host);
        command.Options.Add(runner);
        command.Options.Add(instance);
        command.Options.Add(output);
        command.Options.Add(force);
        command.Validators.Add(result =>
        {
            var forHost = result.GetValue(host);
            var forRunner = result.GetValue(runner);
            var instanceName = result.GetValue(instance);
            if (forHost == forRunner)
            {
                result.AddError("give exactly one of --host or --runner, e.g. riverrun init config --runner");
            }
            else if (instanceName is not null && !forRunner)
            {
                result.AddError("--instance applies to --runner only");
            }
            else if (instanceName is not null && RunnerInstance.Validate(instanceName) is { } error)
            {
                result.AddError("--instance: " + error);
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var instanceName = parseResult.GetValue(instance);
            var (text, defaultPath) = parseResult.GetValue(host)
                ? (HostConfiguration.Template(), HostConfiguration.DefaultPath)
                : instanceName is null
                    ? (RunnerConfiguration.Template(), RunnerConfiguration.DefaultPath)
                    : (RunnerConfiguration.Template(instanceName), RunnerInstance.FilePath(RunnerConfiguration.DefaultPath, instanceName));
            var path = parseResult.GetValue(output) ?? defaultPath;
            if (path == "-")
            {
                await services.Context.Out.WriteAsync(text).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await WriteAsync(Path.GetFullPath(path), text, parseResult.GetValue(force), cancellationToken).ConfigureAwait(false);
            await services.Context.Out.WriteLineAsync($"wrote {Path.GetFullPath(path)}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task WriteAsync(string path, string text, bool force, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // CreateNew refuses an existing file in the same step that creates it: no window in which another writer's file is replaced.
            var stream = new FileStream(path, force ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException) when (!force && File.Exists(path))
        {
            throw CliException.Usage($"{path} exists; nothing was written. Edit it, or replace it with --force");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.GenericFailure, $"cannot write {path}: {ex.Message}");
        }
    }
}
