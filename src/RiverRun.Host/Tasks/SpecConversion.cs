using RiverRun.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tasks;

/// <summary>Turns the wire's TaskSpec into Core's, to validate it with Core's rules.</summary>
public static class SpecConversion
{
    /// <summary>
    /// Core's spec for <paramref name="spec"/>. A malformed timeout (which Core cannot even
    /// represent) is reported in <paramref name="problems"/> with the field named.
    /// </summary>
    public static TaskSpec ToCore(V1.TaskSpec spec, List<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(problems);
        TimeSpan? timeout = null;
        if (spec.Timeout is { } duration)
        {
            try
            {
                var value = duration.ToTimeSpan();
                // The wire says zero means no timeout; Core's rule rejects zero, so it is not passed on.
                timeout = value == TimeSpan.Zero ? null : value;
            }
            catch (InvalidOperationException)
            {
                problems.Add(new ValidationProblem("timeout", "is not a valid duration (seconds and nanos out of range or of different signs)"));
            }
        }

        return new TaskSpec
        {
            Argv = [.. spec.Argv],
            Env = spec.Env.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
            WorkingDirectory = spec.WorkingDirectory,
            User = spec.User,
            Resources = spec.Resources is { } r ? new Resources(r.Cores, r.MemoryBytes) : Resources.None,
            Timeout = timeout,
        };
    }
}
