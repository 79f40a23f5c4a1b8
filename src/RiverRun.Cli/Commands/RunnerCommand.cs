using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Core;
using RiverRun.Runner;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun runner</c>: run a Runner service on this node in the foreground.</summary>
public static class RunnerCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var defaults = new RunnerOptions();
        var command = new Command("runner", "Run a Runner service: executes this node's tasks in systemd scopes");
        CommandHelp.SetDetails(command, """
            Dials the Host given by --host (or RIVERRUN_HOST), registers this node, and runs the
            tasks the Host sends, each in a transient systemd scope (riverrun-<task id>.scope)
            whose CPUQuota and MemoryMax enforce the task's share. Keeps the connection open and
            reconnects by itself when the Host goes away; tasks keep running meanwhile, and a
            restarted Runner re-adopts them. Needs root and systemd as the node's init.
            Several Runners may share a machine, each with its own --name and share.

            Exit codes: 0 stopped cleanly, non-zero when it cannot start (the message says why).

            Examples:
              riverrun runner --host http://head:8700
              riverrun runner --host http://head:8700 --name node2-gpu0 --cores 8 --memory 64G
            """);
        var name = new Option<string?>("--name")
        {
            Description = "This Runner's name in the cluster: letters, digits, '-', '_', '.' [default: the hostname]",
            HelpName = "NAME",
            Validators = { result => Validate(result, NodeName.Validate) },
        };
        var cores = new Option<string?>("--cores")
        {
            Description = "Cores offered to tasks, fractions allowed (e.g. 6 or 3.5) [default: all of the machine's]",
            HelpName = "N",
            Validators = { result => Validate(result, text => CoreCount.TryParse(text, out _, out var error) ? null : error) },
        };
        var memory = new Option<string?>("--memory")
        {
            Description = "Memory offered to tasks: a number with K, M, G or T, powers of 1024 (e.g. 16G) [default: all of the machine's]",
            HelpName = "SIZE",
            Validators = { result => Validate(result, text => ByteSize.TryParse(text, out _, out var error) ? null : error) },
        };
        var stateDirectory = new Option<string>("--state-dir")
        {
            Description = "Where Runners keep their tasks' spools (this one uses DIR/NAME)",
            HelpName = "DIR",
            DefaultValueFactory = _ => defaults.StateDirectory,
        };
        command.Options.Add(name);
        command.Options.Add(cores);
        command.Options.Add(memory);
        command.Options.Add(stateDirectory);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var (address, _) = HostConnection.ResolveAddress(
                parseResult.GetValue(services.HostOption), services.Context.GetEnvironmentVariable(HostConnection.HostVariable));
            var options = new RunnerOptions
            {
                HostUrl = new Uri(address),
                Name = parseResult.GetValue(name),
                Cores = parseResult.GetValue(cores) is { } c ? CoreCount.Parse(c).Cores : null,
                MemoryBytes = parseResult.GetValue(memory) is { } m ? ByteSize.Parse(m).Bytes : null,
                StateDirectory = parseResult.GetValue(stateDirectory)!,
            };
            return RunnerApplication.RunAsync(options, cancellationToken);
        });
        return command;
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
}
