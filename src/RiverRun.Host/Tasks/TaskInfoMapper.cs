using Google.Protobuf.WellKnownTypes;
using RiverRun.Host.Output;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tasks;

/// <summary>Builds the wire's TaskInfo from a stored task and the output stored for it.</summary>
public sealed class TaskInfoMapper(OutputLogStore output)
{
    /// <summary>The task as clients see it, with the output lengths stored right now.</summary>
    public V1.TaskInfo ToInfo(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var info = new V1.TaskInfo
        {
            Id = task.Id.Value,
            Spec = task.Spec,
            Target = task.Target,
            // The numbers of Core's TaskState are the wire's, by design.
            State = (V1.TaskState)(int)task.State,
            Node = task.Node ?? string.Empty,
            Unit = task.Unit ?? string.Empty,
            Reason = task.Reason,
            CreatedAt = Timestamp.FromDateTimeOffset(task.CreatedAt),
            StdoutLength = output.GetLength(task.Id, V1.OutputStream.Stdout),
            StderrLength = output.GetLength(task.Id, V1.OutputStream.Stderr),
            Usage = task.Usage,
            Owner = task.Owner,
        };
        if (task.ExitCode is not null || task.ExitSignal is not null)
        {
            info.Exit = new V1.ExitStatus();
            if (task.ExitCode is { } code)
            {
                info.Exit.ExitCode = code;
            }

            if (task.ExitSignal is { } signal)
            {
                info.Exit.Signal = signal;
            }
        }

        if (task.StartedAt is { } started)
        {
            info.StartedAt = Timestamp.FromDateTimeOffset(started);
        }

        if (task.FinishedAt is { } finished)
        {
            info.FinishedAt = Timestamp.FromDateTimeOffset(finished);
        }

        return info;
    }
}
