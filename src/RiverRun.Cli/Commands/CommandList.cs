using System.CommandLine;

namespace RiverRun.Cli.Commands;

/// <summary>
/// Every subcommand of <c>riverrun</c>, in the order --help lists them. To add one, write a
/// Commands/XxxCommand.cs with <c>public static Command Create(CommandServices services)</c>
/// and add one line here. The NativeAOT client holds placeholders for the commands that
/// riverrun-server runs (<see cref="ServerHandoff"/>): a command that needs the Host or the Runner
/// goes that way too, or the client grows by all they bring.
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
        // Spelled out, not a helper taking XxxCommand.Create: only a direct call in the branch the
        // constant switch removes lets ILC drop the command (a delegate would keep it referenced).
        ClientOnlyBuild.IsEnabled ? ServerHandoff.Placeholder("host", HostCommand.Description) : HostCommand.Create(services),
        ClientOnlyBuild.IsEnabled ? ServerHandoff.Placeholder("runner", RunnerCommand.Description) : RunnerCommand.Create(services),
        TokenCommand.Create(services),
        ClientOnlyBuild.IsEnabled ? ServerHandoff.Placeholder("init", InitCommand.Description) : InitCommand.Create(services),
        ClientOnlyBuild.IsEnabled ? ServerHandoff.Placeholder("doctor", DoctorCommand.Description) : DoctorCommand.Create(services),
    ];
}
