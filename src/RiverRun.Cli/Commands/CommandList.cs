using System.CommandLine;

namespace RiverRun.Cli.Commands;

/// <summary>
/// Every subcommand of <c>riverrun</c>, in the order --help lists them. To add one, write a
/// Commands/XxxCommand.cs with <c>public static Command Create(CommandServices services)</c>
/// and add one line here.
/// </summary>
public static class CommandList
{
    public static IEnumerable<Command> Create(CommandServices services) =>
    [
        RunCommand.Create(services),
        SubmitCommand.Create(services),
        LogsCommand.Create(services),
        StatusCommand.Create(services),
        ListCommand.Create(services),
        KillCommand.Create(services),
        PauseCommand.Create(services),
        ResumeCommand.Create(services),
        NodesCommand.Create(services),
        HostCommand.Create(services),
        RunnerCommand.Create(services),
        TokenCommand.Create(services),
        InitCommand.Create(services),
        DoctorCommand.Create(services),
    ];
}
