using System.Globalization;
using RiverRun.Contracts.V1;
using RiverRun.Core;

namespace RiverRun.Cli.Output;

/// <summary>How nodes look on screen: the table of <c>riverrun nodes</c>.</summary>
public static class NodePrinter
{
    /// <summary>The column headers, in order; scripts rely on them (e.g. <c>grep '^node1\s\+yes'</c>).</summary>
    public static IReadOnlyList<string> Columns { get; } = ["NAME", "CONNECTED", "CORES", "MEMORY", "RUNNING", "LAST-HEARTBEAT"];

    /// <summary>The columns <c>riverrun nodes -o wide</c> adds after <see cref="Columns"/>.</summary>
    public static IReadOnlyList<string> WideColumns { get; } = ["HOSTNAME", "SYSTEMD", "CGROUP", "VERSION"];

    /// <summary>
    /// NAME CONNECTED CORES MEMORY RUNNING LAST-HEARTBEAT: CONNECTED is yes or no, CORES and
    /// MEMORY are allocated/total, LAST-HEARTBEAT is "2s ago" or "never".
    /// </summary>
    /// <param name="nodes">The nodes, in the order to print.</param>
    /// <param name="now">For LAST-HEARTBEAT.</param>
    /// <param name="wide">Adds HOSTNAME, SYSTEMD (its version), CGROUP (v1 or v2) and VERSION
    /// (RiverRun's); "-" for what a Runner did not report.</param>
    public static string Table(IEnumerable<NodeInfo> nodes, DateTimeOffset now, bool wide = false)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var table = new TextTable(wide ? [.. Columns, .. WideColumns] : [.. Columns]);
        foreach (var node in nodes)
        {
            string[] row =
            [
                node.Name,
                node.Connected ? "yes" : "no",
                $"{Cores(node.Allocated?.Cores ?? 0)}/{Cores(node.Capacity?.Cores ?? 0)}",
                $"{Memory(node.Allocated?.MemoryBytes ?? 0)}/{Memory(node.Capacity?.MemoryBytes ?? 0)}",
                node.RunningTasks.ToString(CultureInfo.InvariantCulture),
                node.LastHeartbeat is { } heartbeat ? Formats.Ago(heartbeat.ToDateTimeOffset(), now) : "never",
            ];
            table.AddRow(wide
                ? [.. row, OrNone(node.Hostname), Number(node.SystemdVersion), node.CgroupVersion > 0 ? "v" + Number(node.CgroupVersion) : "-", OrNone(node.Version)]
                : row);
        }

        return table.ToString();
    }

    private static string OrNone(string value) => value.Length == 0 ? "-" : value;

    private static string Number(int value) => value > 0 ? value.ToString(CultureInfo.InvariantCulture) : "-";

    private static string Cores(double cores) => cores.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Memory(long bytes) => bytes <= 0 ? "0" : new ByteSize(bytes).ToString();
}
