using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Cli.Streaming;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun run</c>: run one command on the cluster as if it ran here.</summary>
public static class RunCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("run", "Run a command on the cluster and stay attached to it; exit with its exit code");
        CommandHelp.SetDetails(command, """
            riverrun run waits while the task is queued, streams its stdout to stdout and its stderr
            to stderr (bytes unchanged), and exits with the task's exit code. Ctrl-C detaches (the task keeps running; re-attach with riverrun logs -f ID) unless
            --kill-on-detach is given. If the connection to the Host breaks, riverrun reconnects
            and resumes the output where it stopped.

            Examples:
              riverrun run --target node1 --cores 2 --memory 4G -- python train.py --epochs 10
              riverrun run --timeout 1h30m --env OMP_NUM_THREADS=4 -- ./simulate

            """ + "\n" + ExitCodes.HelpText);
        var options = new TaskSpecOptions(command);
        var killOnDetach = new Option<bool>("--kill-on-detach")
        {
            Description = "On Ctrl-C, kill the task and wait for its end instead of leaving it running",
        };
        command.Options.Add(killOnDetach);
        command.SetAction((parseResult, _) =>
        {
            var request = options.BuildRequest(parseResult);
            if (request.Targets.Count > 1)
            {
                throw CliException.Usage(
                    $"run follows one task, but {request.Targets.Count} targets were given; to start one task per target use "
                    + "riverrun submit --target A --target B -- CMD (add --follow to follow a single one)");
            }

            return services.CallHostAsync(parseResult, "the submit", host =>
                new AttachedTask(host, services.Context, parseResult.GetValue(killOnDetach)).SubmitAndFollowAsync(request));
        });
        return command;
    }
}
