namespace RiverRun.Core;

/// <summary>
/// What to run and with which limits: everything a Runner needs to start a task.
/// </summary>
/// <remarks>
/// A spec is plain data so that it can be built from a request, stored and sent on; whether it
/// is acceptable is a separate question answered by <see cref="Validate"/>, which reports every
/// problem at once so a user fixes them in one round.
/// </remarks>
public sealed record TaskSpec
{
    /// <summary>The command and its arguments, passed as argv and never re-parsed by a shell.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>Variables added to the task's small explicit base environment.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Absolute working directory on the node; null or empty for the user's home.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>User name or uid to run as; null or empty for the Runner's user.</summary>
    public string? User { get; init; }

    /// <summary>CPU and memory share enforced on the task's scope; 0 in a dimension means no limit.</summary>
    public Resources Resources { get; init; }

    /// <summary>Stop the task after this long (ending TIMED_OUT); null for no timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Every problem with this spec, each naming its field; empty when it is acceptable.</summary>
    public IReadOnlyList<ValidationProblem> Validate() => TaskSpecValidator.Validate(this);
}
