using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Host;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun host</c>: run the Host service in the foreground.</summary>
public static class HostCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var defaults = new HostOptions();
        var command = new Command("host", "Run the Host service: the cluster's state, queue and output store");
        CommandHelp.SetDetails(command, $"""
            Serves the client API and the Runners' stream over gRPC (HTTP/2), keeps tasks and nodes
            in SQLite (riverrun.db) and every task's output in files, all in the data directory.
            Runs in the foreground until SIGTERM or Ctrl-C; meant to run as a systemd service.
            Listen on loopback unless the network is trusted: there is no authentication yet.

            Exit codes: 0 stopped cleanly, 1 could not start (e.g. the port is taken), 2 invalid options.

            Examples:
              riverrun host
              riverrun host --listen 0.0.0.0:8700 --data-dir /srv/riverrun
            """);
        var listen = new Option<string>("--listen")
        {
            Description = "Address and port to serve on: 127.0.0.1:8700, [::1]:8700, 0.0.0.0:8700",
            HelpName = "ADDRESS:PORT",
            DefaultValueFactory = _ => defaults.Listen,
        };
        var dataDirectory = new Option<string>("--data-dir")
        {
            Description = "Where the database and the output logs live",
            HelpName = "DIR",
            DefaultValueFactory = _ => defaults.DataDirectory,
        };
        command.Options.Add(listen);
        command.Options.Add(dataDirectory);
        command.SetAction((parseResult, cancellationToken) => HostApplication.RunAsync(
            new HostOptions
            {
                Listen = parseResult.GetValue(listen)!,
                DataDirectory = parseResult.GetValue(dataDirectory)!,
            },
            cancellationToken));
        return command;
    }
}
