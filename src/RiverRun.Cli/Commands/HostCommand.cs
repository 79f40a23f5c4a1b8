using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Configuration;
using RiverRun.Host;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun host</c>: run the Host service in the foreground.</summary>
public static class HostCommand
{
    /// <summary>What --help says of it; also the NativeAOT client's placeholder for it (<see cref="ServerHandoff"/>).</summary>
    public const string Description = "Run the Host service: the cluster's state, queue and output store";

    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("host", Description);
        CommandHelp.SetDetails(command, $"""
            Serves the client API and the Runners' stream over gRPC (HTTP/2), keeps tasks and nodes
            in SQLite (riverrun.db) and every task's output in files, all in the data directory.
            Runs in the foreground until SIGTERM or Ctrl-C; meant to run as a systemd service.
            Until `riverrun init token` creates the first token every caller is trusted, and without
            --tls-cert/--tls-key everything crosses the network in clear. So beyond loopback
            (0.0.0.0, ::, any other address, also a socket systemd passes) the Host starts only with
            both TLS and a token: else it exits 2 saying what is missing, unless --insecure is given
            (then it warns at every start). `riverrun init tls` makes the certificate and key.

            A node whose Runner stays disconnected for --node-lost-after has its tasks given up:
            RUNNING and PAUSED tasks end LOST (their followers stop waiting), tasks sent to it but
            never started go back to the queue. A Runner that reconnects sooner keeps its tasks.

            Configuration: each setting is taken from its flag, else its RIVERRUN_* variable, else
            the file (--config, default {HostConfiguration.DefaultPath}; a missing default file is
            fine), else its default. Keys in the file are the flags in snake_case: listen = "...",
            data_dir = "...", node_lost_after = "10m". `riverrun init config --host` writes a
            commented file with every setting. A bad file stops the start, naming file, line and key.

            Health and metrics are served over plain HTTP/1.1 on a second address, --http-listen
            (default 127.0.0.1:8701; "none" turns it off): GET /healthz answers 200 "healthy" while
            the store and the scheduler work and 503 naming what fails (for curl and load
            balancers); GET /metrics gives Prometheus metrics (tasks by state, queue length, nodes
            connected, launches, start latency, output bytes, per-node allocation). gRPC health
            (grpc.health.v1) answers on --listen as well.

            Exit codes: 0 stopped cleanly, 1 could not start (e.g. the port is taken), 2 invalid
            options or configuration (a bad TLS file included), or refused to listen beyond loopback.

            Examples:
              riverrun host
              riverrun host --listen 0.0.0.0:8700 --tls-cert /etc/riverrun/tls/host.crt --tls-key /etc/riverrun/tls/host.key
              riverrun host --listen 0.0.0.0:8700 --insecure   # a trusted network only: no TLS, maybe no token
              riverrun host --data-dir /srv/riverrun
              riverrun host --config /srv/riverrun/host.toml --node-lost-after 30m
              RIVERRUN_LISTEN=0.0.0.0:8700 riverrun host
              riverrun host --http-listen 0.0.0.0:9100      # let Prometheus on another machine scrape
              curl http://127.0.0.1:8701/healthz
            """);
        var config = new Option<string?>("--config")
        {
            Description = $"The configuration file (TOML) [default: {HostConfiguration.DefaultPath}, which may be missing]",
            HelpName = "PATH",
        };
        command.Options.Add(config);
        var flags = SettingFlags.Add(command, HostSettings.Table, new HostOptions());
        command.SetAction((parseResult, cancellationToken) =>
        {
            HostOptions options;
            try
            {
                options = HostConfiguration.Load(parseResult.GetValue(config), services.Context.GetEnvironmentVariable, SettingFlags.Given(parseResult, flags));
            }
            catch (ConfigurationException ex)
            {
                throw SettingFlags.ToUsageError(ex);
            }

            return HostApplication.RunAsync(options, cancellationToken);
        });
        return command;
    }
}
