using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Cli.Streaming;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun submit</c>: queue tasks and return at once (or follow one, like run).</summary>
public static class SubmitCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("submit", "Submit a command and return at once, printing the new task ids");
        CommandHelp.SetDetails(command, """
            riverrun submit prints the new task ids, one per line. Several --target options make one task per target. With --follow, stay attached to
            the (single) task like riverrun run, and exit with its exit code.

            Examples:
              riverrun submit --target node1 --target node2 --cores 1 -- ./benchmark.sh
              id=$(riverrun submit --memory 8G -- python prepare.py) && riverrun logs -f "$id"

            """ + "\n" + ExitCodes.HelpText);
        var options = new TaskSpecOptions(command);
        var follow = new Option<bool>("--follow", "-f")
        {
            Description = "Stay attached to the task like riverrun run (one target only)",
        };
        var killOnDetach = new Option<bool>("--kill-on-detach")
        {
            Description = "With --follow: on Ctrl-C, kill the task and wait for its end",
        };
        command.Options.Add(follow);
        command.Options.Add(killOnDetach);
        command.SetAction((parseResult, _) =>
        {
            var request = options.BuildRequest(parseResult);
            var following = parseResult.GetValue(follow);
            if (following && request.Targets.Count > 1)
            {
                throw CliException.Usage(
                    $"--follow follows one task, but {request.Targets.Count} targets were given; drop --follow, "
                    + "then follow each with riverrun logs -f ID");
            }

            if (!following && parseResult.GetValue(killOnDetach))
            {
                throw CliException.Usage("--kill-on-detach only applies with --follow");
            }

            return services.CallHostAsync(parseResult, "the submit", async host =>
            {
                if (following)
                {
                    return await new AttachedTask(host, services.Context, parseResult.GetValue(killOnDetach))
                        .SubmitAndFollowAsync(request).ConfigureAwait(false);
                }

                var response = await host.Tasks.SubmitAsync(request).ResponseAsync.ConfigureAwait(false);
                foreach (var task in response.Tasks)
                {
                    await services.Context.Out.WriteLineAsync(task.Id).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
