using RiverRun.Contracts.V1;

namespace RiverRun.Runner.Tasks;

/// <summary>What the mapping from StartTask to a scope needs to know about this Runner.</summary>
/// <param name="NodeName">The Runner's name (RIVERRUN_NODE).</param>
/// <param name="Slice">The slice every task of this Runner runs in.</param>
/// <param name="ExpandEnvironmentOption">Whether systemd-run knows --expand-environment (systemd 254+).</param>
/// <param name="NumaNodes">The machine's NUMA nodes, for NUMA targets.</param>
internal sealed record LaunchContext(string NodeName, string Slice, bool ExpandEnvironmentOption, IReadOnlyList<NumaNode> NumaNodes);
