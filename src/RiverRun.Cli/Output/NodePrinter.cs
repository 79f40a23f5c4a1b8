using System.Globalization;
using RiverRun.Contracts.V1;
using RiverRun.Core;

namespace RiverRun.Cli.Output;

/// <summary>How nodes look on screen: the table of <c>riverrun nodes</c>.</summary>
public static class NodePrinter
{
    /// <summary>The column headers, in order; scripts rely on them (e.g. <c>grep '^node1\s\+yes'</c>).</summary>
    public static IReadOnlyList<string> Columns { get; } = ["NAME", "CONNECTED", "CORES", "MEMORY", "RUNNING", "LAST-HEARTBEAT"];

    /// <summary>
    /// NAME CONNECTED CORES MEMORY RUNNING LAST-HEARTBEAT: CONNECTED is yes or no, CORES and
    /// MEMORY are allocated/total, LAST-HEARTBEAT is "2s ago" or "never".
    /// </summary>
    public static string Table(IEnumerable<NodeInfo> nodes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var table = new TextTable([.. Columns]);
        foreach (var node in nodes)
        {
            table.AddRow(
                node.Name,
                node.Connected ? "yes" : "no",
                $"{Cores(node.Allocated?.Cores ?? 0)}/{Cores(node.Capacity?.Cores ?? 0)}",
                $"{Memory(node.Allocated?.MemoryBytes ?? 0)}/{Memory(node.Capacity?.MemoryBytes ?? 0)}",
                node.RunningTasks.ToString(CultureInfo.InvariantCulture),
                node.LastHeartbeat is { } heartbeat ? Formats.Ago(heartbeat.ToDateTimeOffset(), now) : "never");
        }

        return table.ToString();
    }

    private static string Cores(double cores) => cores.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Memory(long bytes) => bytes <= 0 ? "0" : new ByteSize(bytes).ToString();
}
