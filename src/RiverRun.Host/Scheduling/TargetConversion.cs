using RiverRun.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Scheduling;

/// <summary>Turns a stored wire target into Core's selector (null for "anywhere").</summary>
public static class TargetConversion
{
    /// <summary>Core's selector for <paramref name="target"/>, null when it names no node. Throws ArgumentException when it is not valid.</summary>
    public static TargetSelector? ToCore(V1.TargetSelector? target) =>
        target is null || target.Node.Length == 0
            ? null
            : new TargetSelector(target.Node, target.HasNumaNode ? target.NumaNode : null, target.Gpus);
}
