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
            tasks assigned, running or paused there.

            Examples:
              riverrun nodes
              riverrun nodes | grep -E '^node1\s+yes'
            """);
        command.SetAction((parseResult, _) =>
            services.CallHostAsync(parseResult, "listing nodes", async host =>
            {
                var response = await host.Nodes.ListAsync(new ListNodesRequest()).ResponseAsync.ConfigureAwait(false);
                await services.Context.Out.WriteAsync(NodePrinter.Table(response.Nodes, services.Context.Time.GetUtcNow())).ConfigureAwait(false);
                return ExitCodes.Success;
            }));
        return command;
    }
}
