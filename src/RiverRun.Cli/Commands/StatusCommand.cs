using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun status</c>: everything known about one task.</summary>
public static class StatusCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("status", "Show everything known about one task");
        CommandHelp.SetDetails(command, """
            Shows the task's state, node, systemd unit, how it ended, its command and resources,
            when it was created, started and finished, and why it is in its state.

            Example:
              riverrun status 0a1b2c3d4e5f
            """);
        var id = CommandServices.TaskIdArgument("The task's id");
        command.Arguments.Add(id);
        command.SetAction((parseResult, _) =>
        {
            var taskId = parseResult.GetRequiredValue(id);
            return services.CallHostAsync(parseResult, $"looking up task {taskId}", async host =>
            {
                var task = await host.Tasks.GetAsync(new GetTaskRequest { TaskId = taskId }).ResponseAsync.ConfigureAwait(false);
                var context = services.Context;
                await context.Out.WriteAsync(TaskPrinter.Status(task, context.Time.GetUtcNow(), context.TimeZone)).ConfigureAwait(false);
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
