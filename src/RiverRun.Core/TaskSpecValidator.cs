using System.Globalization;
using System.Text;

namespace RiverRun.Core;

/// <summary>
/// The rules a <see cref="TaskSpec"/> must meet before the Host accepts it. Field names are the
/// wire's (riverrun.v1.TaskSpec), so an error can point at exactly what the client sent.
/// </summary>
internal static class TaskSpecValidator
{
    public static IReadOnlyList<ValidationProblem> Validate(TaskSpec spec)
    {
        var problems = new List<ValidationProblem>();
        CheckArgv(spec.Argv, problems);
        CheckEnv(spec.Env, problems);
        CheckWorkingDirectory(spec.WorkingDirectory, problems);
        CheckUser(spec.User, problems);
        CheckResources(spec.Resources, problems);
        CheckTimeout(spec.Timeout, problems);
        CheckTotalSize(spec, problems);
        return problems;
    }

    private static void CheckArgv(IReadOnlyList<string>? argv, List<ValidationProblem> problems)
    {
        if (argv is null || argv.Count == 0)
        {
            problems.Add(new("argv", "is empty; it must hold at least the command to run"));
            return;
        }

        if (string.IsNullOrEmpty(argv[0]))
        {
            problems.Add(new("argv[0]", "the command is empty"));
        }

        for (var i = 0; i < argv.Count; i++)
        {
            // A C string ends at NUL: the process would silently get a shorter argument.
            if (argv[i]?.Contains('\0', StringComparison.Ordinal) == true)
            {
                problems.Add(new($"argv[{i.ToString(CultureInfo.InvariantCulture)}]", "contains a NUL byte, which no process argument can hold"));
            }
            else if (Utf8Length(argv[i]) is var bytes && bytes > TaskLimits.MaxStringBytes)
            {
                problems.Add(new(
                    $"argv[{i.ToString(CultureInfo.InvariantCulture)}]",
                    $"is {bytes} bytes long; one argument may hold at most {TaskLimits.MaxStringBytes} bytes (the kernel's limit); pass large data in a file instead"));
            }
        }
    }

    private static void CheckEnv(IReadOnlyDictionary<string, string>? env, List<ValidationProblem> problems)
    {
        if (env is null)
        {
            return;
        }

        foreach (var (name, value) in env.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (EnvironmentVariableName.Validate(name) is { } nameError)
            {
                problems.Add(new("env", nameError));
                continue;
            }

            if (value?.Contains('\0', StringComparison.Ordinal) == true)
            {
                problems.Add(new($"env[{name}]", "value contains a NUL byte, which no environment variable can hold"));
            }
            else if (Utf8Length(name) + 1 + Utf8Length(value) is var bytes && bytes > TaskLimits.MaxStringBytes)
            {
                problems.Add(new(
                    $"env[{name}]",
                    $"NAME=value is {bytes} bytes long; one variable may hold at most {TaskLimits.MaxStringBytes} bytes (the kernel's limit); pass large data in a file instead"));
            }
        }
    }

    private static void CheckWorkingDirectory(string? directory, List<ValidationProblem> problems)
    {
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        if (directory.Contains('\0', StringComparison.Ordinal))
        {
            problems.Add(new("working_directory", "contains a NUL byte"));
        }
        else if (!directory.StartsWith('/'))
        {
            // Relative to what? The Runner's directory on another machine means nothing to the user.
            problems.Add(new("working_directory", $"'{directory}' is not an absolute path; it must start with '/'"));
        }
    }

    private static void CheckUser(string? user, List<ValidationProblem> problems)
    {
        if (!string.IsNullOrEmpty(user) && UserName.Validate(user) is { } error)
        {
            problems.Add(new("user", error));
        }
    }

    private static void CheckResources(Resources resources, List<ValidationProblem> problems)
    {
        if (double.IsNaN(resources.Cores) || double.IsInfinity(resources.Cores))
        {
            problems.Add(new("resources.cores", "is not a number"));
        }
        else if (resources.Cores < 0)
        {
            problems.Add(new("resources.cores", "is negative; use 0 for no CPU limit"));
        }
        else if (resources.Cores > 0 && !CoreCount.TryFromCores(resources.Cores, out _, out var coresError))
        {
            problems.Add(new("resources.cores", coresError));
        }

        if (resources.MemoryBytes < 0)
        {
            problems.Add(new("resources.memory_bytes", "is negative; use 0 for no memory limit"));
        }
        else if (resources.MemoryBytes > TaskLimits.MaxMemoryBytes)
        {
            problems.Add(new("resources.memory_bytes", $"{resources.MemoryBytes} bytes is more than the limit of {TaskLimits.MaxMemoryBytes} bytes (64 TiB)"));
        }
    }

    private static void CheckTimeout(TimeSpan? timeout, List<ValidationProblem> problems)
    {
        if (timeout is { } value && value <= TimeSpan.Zero)
        {
            problems.Add(new("timeout", "must be positive when given; leave it unset for no timeout"));
        }
        else if (timeout > TaskLimits.MaxTimeout)
        {
            problems.Add(new("timeout", $"{DurationParser.Format(timeout.Value)} is longer than the limit of {DurationParser.Format(TaskLimits.MaxTimeout)}; leave it unset for no timeout"));
        }
    }

    // One rule for the whole spec, so that the start command and a page of tasks always fit their messages.
    private static void CheckTotalSize(TaskSpec spec, List<ValidationProblem> problems)
    {
        long total = Utf8Length(spec.WorkingDirectory) + Utf8Length(spec.User);
        foreach (var argument in spec.Argv ?? [])
        {
            total += Utf8Length(argument);
        }

        foreach (var (name, value) in spec.Env ?? new Dictionary<string, string>())
        {
            total += Utf8Length(name) + Utf8Length(value);
        }

        if (total > TaskLimits.MaxSpecBytes)
        {
            problems.Add(new(
                "size",
                $"argv, env, working_directory and user hold {total} bytes together; the limit is {TaskLimits.MaxSpecBytes} bytes (1 MiB); pass large data in a file instead"));
        }
    }

    private static int Utf8Length(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);
}
