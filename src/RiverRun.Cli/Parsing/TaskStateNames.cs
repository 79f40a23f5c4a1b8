using System.Diagnostics.CodeAnalysis;
using RiverRun.Core;
using WireTaskState = RiverRun.Contracts.V1.TaskState;

namespace RiverRun.Cli.Parsing;

/// <summary>Task states as users write and read them: QUEUED, RUNNING, OOM_KILLED, ...</summary>
public static class TaskStateNames
{
    /// <summary>Every state's name, for help and error texts.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. Enum.GetValues<TaskState>().Select(state => state.ToDisplayName())];

    /// <summary>The display name of a wire state ("RUNNING").</summary>
    public static string Name(WireTaskState state) => ((TaskState)(int)state).ToDisplayName();

    /// <summary>Reads a state name, case-insensitive, with '-' accepted for '_' ("oom-killed").</summary>
    public static bool TryParse(string? text, out WireTaskState state, [NotNullWhen(false)] out string? error)
    {
        var normalized = (text ?? string.Empty).Trim().Replace('-', '_').ToUpperInvariant();
        foreach (var candidate in Enum.GetValues<TaskState>())
        {
            if (candidate.ToDisplayName() == normalized)
            {
                state = (WireTaskState)(int)candidate;
                error = null;
                return true;
            }
        }

        state = WireTaskState.Unspecified;
        error = $"'{text}' is not a task state; use one of {string.Join(", ", All)}";
        return false;
    }
}
