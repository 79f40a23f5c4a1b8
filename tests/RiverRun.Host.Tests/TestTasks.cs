using RiverRun.Core;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>Builders for task records and wire messages the tests share.</summary>
internal static class TestTasks
{
    private static readonly TaskIdGenerator Ids = new();

    public static TaskRecord Queued(double cores = 1, long memory = 0, string? target = null, DateTimeOffset? createdAt = null) => new()
    {
        Id = Ids.Next(),
        Spec = Spec(cores, memory, "echo", "hi"),
        Target = target is null ? null : new V1.TargetSelector { Node = target },
        State = TaskState.Queued,
        CreatedAt = createdAt ?? DateTimeOffset.UtcNow,
    };

    public static V1.TaskSpec Spec(double cores, long memory, params string[] argv)
    {
        var spec = new V1.TaskSpec { Resources = new V1.Resources { Cores = cores, MemoryBytes = memory } };
        spec.Argv.AddRange(argv);
        return spec;
    }
}
