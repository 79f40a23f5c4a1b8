using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun nodes</c>: the cluster's nodes and what they hold.</summary>
public static class NodesCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("nodes", "List the cluster's nodes and what they hold");
        CommandHelp.SetDetails(command, """
            Lists every node (Runner) that ever registered, as a table:
            NAME CONNECTED CORES MEMORY RUNNING LAST-HEARTBEAT. CONNECTED is yes or no; CORES and
            MEMORY are allocated/total (memory in K, M, G, T: powers of 1024); RUNNING counts the
            tasks assigned, running or paused there. -o wide adds HOSTNAME, SYSTEMD (systemd's
            version on the node), CGROUP (v1 or v2: the node's cgroup hierarchy) and VERSION
            (RiverRun's), as each Runner detected them at its start.

            Examples:
              riverrun nodes
              riverrun nodes | grep -E '^node1\s+yes'
              riverrun nodes -o wide
            """);
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Output format: wide adds hostname, systemd and cgroup versions, RiverRun version",
            HelpName = "wide",
        };
        output.AcceptOnlyFromAmong("wide");
        command.Options.Add(output);
        command.SetAction((parseResult, _) =>
            services.CallHostAsync(parseResult, "listing nodes", async host =>
            {
                var response = await host.Nodes.ListAsync(new ListNodesRequest()).ResponseAsync.ConfigureAwait(false);
                await services.Context.Out.WriteAsync(NodePrinter.Table(response.Nodes, services.Context.Time.GetUtcNow(), parseResult.GetValue(output) == "wide")).ConfigureAwait(false);
                return ExitCodes.Success;
            }));
        return command;
    }
}
