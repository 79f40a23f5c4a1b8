using System.Globalization;
using RiverRun.Core;

namespace RiverRun.Runner.Tasks;

/// <summary>
/// A task's whole environment: a small base, then the variables the user passed, then the ones
/// RiverRun guarantees. Built from nothing, never from the Runner's own environment, so the
/// Runner's token and settings cannot leak into a task.
/// </summary>
internal static class TaskEnvironment
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public const string DefaultLanguage = "C.UTF-8";

    public static IReadOnlyDictionary<string, string> Build(
        string taskId,
        string nodeName,
        TaskAccount account,
        IReadOnlyDictionary<string, string> userVariables,
        IReadOnlyList<int> gpus)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(userVariables);
        ArgumentNullException.ThrowIfNull(gpus);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = DefaultPath,
            ["LANG"] = DefaultLanguage,
            ["HOME"] = account.Home,
            ["USER"] = account.Name,
            ["LOGNAME"] = account.Name,
            ["SHELL"] = account.Shell,
        };

        foreach (var (name, value) in userVariables)
        {
            // RIVERRUN_ variables are the ones a task must be able to trust; the Host refuses
            // them at submit, and the Runner does not rely on that.
            if (!name.StartsWith(EnvironmentVariableName.ReservedPrefix, StringComparison.Ordinal))
            {
                environment[name] = value;
            }
        }

        environment["RIVERRUN_TASK_ID"] = taskId;
        environment["RIVERRUN_NODE"] = nodeName;
        if (gpus.Count > 0)
        {
            // The target's GPUs are the task's devices; a user value would break the placement.
            environment["CUDA_VISIBLE_DEVICES"] = string.Join(',', gpus.Select(g => g.ToString(CultureInfo.InvariantCulture)));
        }

        return environment;
    }
}
