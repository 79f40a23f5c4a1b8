using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Cli.Streaming;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun logs</c>: a task's output, replayed and optionally followed.</summary>
public static class LogsCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("logs", "Print a task's output, and with --follow keep printing it until the task ends");
        CommandHelp.SetDetails(command, """
            riverrun logs prints the output as it was written: the task's stdout to stdout and its stderr to stderr,
            bytes unchanged. With --follow, keep printing until the task ends (Ctrl-C stops
            following; the task is not affected).

            Examples:
              riverrun logs -f 0a1b2c3d4e5f
              riverrun logs --stdout 0a1b2c3d4e5f > result.csv
            """);
        var id = CommandServices.TaskIdArgument("The task's id");
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep following the output until the task ends" };
        var stdoutOnly = new Option<bool>("--stdout") { Description = "Only the task's standard output" };
        var stderrOnly = new Option<bool>("--stderr") { Description = "Only the task's standard error" };
        command.Arguments.Add(id);
        command.Options.Add(follow);
        command.Options.Add(stdoutOnly);
        command.Options.Add(stderrOnly);
        command.SetAction((parseResult, _) =>
        {
            var taskId = parseResult.GetRequiredValue(id);
            var following = parseResult.GetValue(follow);
            List<OutputStream> streams = [];
            if (parseResult.GetValue(stdoutOnly))
            {
                streams.Add(OutputStream.Stdout);
            }

            if (parseResult.GetValue(stderrOnly))
            {
                streams.Add(OutputStream.Stderr);
            }

            return services.CallHostAsync(parseResult, $"reading the output of task {taskId}", async host =>
            {
                var follower = new OutputFollower(host, services.Context, taskId, following, streams);
                using var interrupt = services.Context.Interrupts.Register();
                try
                {
                    await follower.RunAsync(interrupt.Token).ConfigureAwait(false);
                    return ExitCodes.Success;
                }
                catch (OperationCanceledException) when (interrupt.Interrupted)
                {
                    return ExitCodes.Interrupted;
                }
            });
        });
        return command;
    }
}
