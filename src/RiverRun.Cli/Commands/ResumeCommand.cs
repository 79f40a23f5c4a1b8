using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun resume</c>: thaw a paused task.</summary>
public static class ResumeCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("resume", "Thaw a task frozen by riverrun pause");
        CommandHelp.SetDetails(command, """
            The task goes on where it stopped. Prints "ID STATE".

            Example:
              riverrun resume 0a1b2c3d4e5f
            """);
        var id = CommandServices.TaskIdArgument("The id of the paused task to thaw");
        command.Arguments.Add(id);
        command.SetAction((parseResult, _) =>
        {
            var taskId = parseResult.GetRequiredValue(id);
            return services.CallHostAsync(parseResult, $"resuming task {taskId}", async host =>
            {
                var task = await host.Tasks.ResumeAsync(new ResumeRequest { TaskId = taskId }).ResponseAsync.ConfigureAwait(false);
                await services.Context.Out.WriteLineAsync(TaskPrinter.StateLine(task)).ConfigureAwait(false);
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
