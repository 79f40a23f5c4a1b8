using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using RiverRun.Cli.Output;
using RiverRun.Cli.Parsing;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Contracts.V1;
using RiverRun.Core;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun kill</c>: stop tasks.</summary>
public static class KillCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("kill", "Stop tasks");
        CommandHelp.SetDetails(command, """
            Sends SIGTERM to the task's whole scope, SIGKILL after the grace period. A queued
            task is cancelled at once; a task that already ended is left as it is. Prints each
            task's resulting state ("ID STATE").

            Example:
              riverrun kill --grace 30s 0a1b2c3d4e5f 9z8y7x6w5v4u
            """);
        var ids = new Argument<string[]>("id")
        {
            Description = "The ids of the tasks to stop",
            HelpName = "ID",
            Arity = ArgumentArity.OneOrMore,
        };
        ids.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!TaskId.TryParse(token.Value, out _, out var error))
                {
                    result.AddError(error);
                    return;
                }
            }
        });
        var grace = new Option<TimeSpan?>("--grace")
        {
            Description = $"Time between SIGTERM and SIGKILL: {DurationParser.Syntax} [default: 10s]",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                if (DurationParser.TryParse(result.Tokens.Count > 0 ? result.Tokens[^1].Value : null, out var value, out var error, allowZero: true))
                {
                    return value;
                }

                result.AddError("--grace: " + error);
                return null;
            },
        };
        command.Arguments.Add(ids);
        command.Options.Add(grace);
        command.SetAction((parseResult, _) =>
        {
            var taskIds = parseResult.GetRequiredValue(ids);
            var gracePeriod = parseResult.GetValue(grace);
            return services.CallHostAsync(parseResult, "the kill", async host =>
            {
                var exitCode = ExitCodes.Success;
                foreach (var taskId in taskIds.Distinct(StringComparer.Ordinal))
                {
                    var request = new KillRequest { TaskId = taskId };
                    if (gracePeriod is { } period)
                    {
                        request.GracePeriod = Duration.FromTimeSpan(period);
                    }

                    try
                    {
                        var task = await host.Tasks.KillAsync(request).ResponseAsync.ConfigureAwait(false);
                        await services.Context.Out.WriteLineAsync(TaskPrinter.StateLine(task)).ConfigureAwait(false);
                    }
                    catch (RpcException ex)
                    {
                        // One failed kill (a bad id, a Runner that did not answer) does not stop
                        // the others; the exit code reports the first failure.
                        var error = host.Describe(ex, $"killing task {taskId}");
                        await services.Context.Error.WriteLineAsync("riverrun: " + error.Message).ConfigureAwait(false);
                        exitCode = exitCode == ExitCodes.Success ? error.ExitCode : exitCode;
                    }
                }

                return exitCode;
            });
        });
        return command;
    }
}
