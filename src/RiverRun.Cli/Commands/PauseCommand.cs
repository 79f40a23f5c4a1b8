using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun pause</c>: freeze a running task.</summary>
public static class PauseCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("pause", "Freeze a running task until riverrun resume");
        CommandHelp.SetDetails(command, """
            Freezes all of the task's processes. The task keeps its memory
            and its share of the node. Prints "ID STATE".

            Example:
              riverrun pause 0a1b2c3d4e5f
            """);
        var id = CommandServices.TaskIdArgument("The id of the running task to freeze");
        command.Arguments.Add(id);
        command.SetAction((parseResult, _) =>
        {
            var taskId = parseResult.GetRequiredValue(id);
            return services.CallHostAsync(parseResult, $"pausing task {taskId}", async host =>
            {
                var task = await host.Tasks.PauseAsync(new PauseRequest { TaskId = taskId }).ResponseAsync.ConfigureAwait(false);
                await services.Context.Out.WriteLineAsync(TaskPrinter.StateLine(task)).ConfigureAwait(false);
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
