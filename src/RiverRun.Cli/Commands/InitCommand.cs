using System.CommandLine;
using RiverRun.Cli.Output;

namespace RiverRun.Cli.Commands;

/// <summary>
/// <c>riverrun init</c>: the group of commands that set up a machine (configuration files, and
/// later systemd units and tokens). To add one, write Commands/InitXxxCommand.cs with
/// <c>public static Command Create(CommandServices services)</c> and add one line below.
/// </summary>
public static class InitCommand
{
    /// <summary>What --help says of it; also the NativeAOT client's placeholder for it (<see cref="ServerHandoff"/>).</summary>
    public const string Description = "Set up a machine: write configuration files, systemd units, tokens and TLS certificates";

    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("init", Description);
        CommandHelp.SetDetails(command, """
            Examples:
              riverrun init config --host
              riverrun init config --runner --instance gpu0
              riverrun init service --all --output-dir units/
              riverrun init service --host --install --enable --now
              sudo riverrun init token
              sudo riverrun init tls --name head --ip 10.0.0.1
            """);
        Command[] subcommands =
        [
            InitConfigCommand.Create(services),
            InitServiceCommand.Create(services),
            InitTokenCommand.Create(services),
            InitTlsCommand.Create(services),
        ];
        foreach (var subcommand in subcommands)
        {
            command.Subcommands.Add(subcommand);
        }

        return command;
    }
}
