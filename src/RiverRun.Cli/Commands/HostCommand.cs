using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Cli.Parsing;
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

            A node whose Runner stays disconnected for --node-lost-after has its tasks given up:
            RUNNING and PAUSED tasks end LOST (their followers stop waiting), tasks sent to it but
            never started go back to the queue. A Runner that reconnects sooner keeps its tasks.

            Health and metrics are served over plain HTTP/1.1 on a second address, --http-listen
            (default 127.0.0.1:8701; "none" turns it off): GET /healthz answers 200 "healthy" while
            the store and the scheduler work and 503 naming what fails (for curl and load
            balancers); GET /metrics gives Prometheus metrics (tasks by state, queue length, nodes
            connected, launches, start latency, output bytes, per-node allocation). gRPC health
            (grpc.health.v1) answers on --listen as well.

            Exit codes: 0 stopped cleanly, 1 could not start (e.g. the port is taken), 2 invalid options.

            Examples:
              riverrun host
              riverrun host --listen 0.0.0.0:8700 --data-dir /srv/riverrun
              riverrun host --node-lost-after 30m
              riverrun host --http-listen 0.0.0.0:9100      # let Prometheus on another machine scrape
              curl http://127.0.0.1:8701/healthz
            """);
        var listen = new Option<string>("--listen")
        {
            Description = "Address and port to serve on: 127.0.0.1:8700, [::1]:8700, 0.0.0.0:8700",
            HelpName = "ADDRESS:PORT",
            DefaultValueFactory = _ => defaults.Listen,
        };
        var httpListen = new Option<string>("--http-listen")
        {
            Description = "Address and port of plain HTTP for GET /healthz and GET /metrics, or 'none' for neither",
            HelpName = "ADDRESS:PORT|none",
            DefaultValueFactory = _ => defaults.HttpListen,
        };
        var dataDirectory = new Option<string>("--data-dir")
        {
            Description = "Where the database and the output logs live",
            HelpName = "DIR",
            DefaultValueFactory = _ => defaults.DataDirectory,
        };
        // Nullable without a default factory, so help shows the default as a duration ("10m"), not "00:10:00".
        var nodeLostAfter = new Option<TimeSpan?>("--node-lost-after")
        {
            Description = $"How long a node may stay disconnected before its running tasks are LOST and its unstarted ones queued again: {DurationParser.Syntax}, 5s to 7d [default: {DurationParser.Format(defaults.NodeLostAfter)}]",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                if (DurationParser.TryParse(result.Tokens.Count > 0 ? result.Tokens[^1].Value : null, out var value, out var error))
                {
                    return value;
                }

                result.AddError("--node-lost-after: " + error);
                return null;
            },
        };
        command.Options.Add(listen);
        command.Options.Add(httpListen);
        command.Options.Add(dataDirectory);
        command.Options.Add(nodeLostAfter);
        command.SetAction((parseResult, cancellationToken) => HostApplication.RunAsync(
            new HostOptions
            {
                Listen = parseResult.GetValue(listen)!,
                HttpListen = parseResult.GetValue(httpListen)!,
                DataDirectory = parseResult.GetValue(dataDirectory)!,
                NodeLostAfter = parseResult.GetValue(nodeLostAfter) ?? defaults.NodeLostAfter,
            },
            cancellationToken));
        return command;
    }
}
