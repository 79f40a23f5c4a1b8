using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using RiverRun.Cli.Parsing;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Output;

/// <summary>How tasks look on screen: <c>riverrun status</c>'s key/value lines and <c>riverrun list</c>'s table.</summary>
public static class TaskPrinter
{
    private const string None = "-";

    /// <summary>
    /// Aligned "Key: value" lines: ID, State, Owner, Node, Unit, Exit, Command, Resources, Created,
    /// Started, Finished, CPU time, Peak memory, Reason ("-" for what is not known yet; usage is
    /// what the Runner read from the task's cgroup when it ended).
    /// </summary>
    public static string Status(TaskInfo task, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(task);
        (string Key, string Value)[] lines =
        [
            ("ID", task.Id),
            ("State", TaskStateNames.Name(task.State)),
            // The token that submitted it; "-" under open access (no tokens on the Host).
            ("Owner", OrNone(task.Owner)),
            ("Node", OrNone(task.Node)),
            ("Unit", OrNone(task.Unit)),
            ("Exit", Exit(task.Exit)),
            ("Command", Formats.Command(task.Spec?.Argv ?? [])),
            ("Resources", Resources(task.Spec)),
            ("Created", When(task.CreatedAt, now, zone)),
            ("Started", When(task.StartedAt, now, zone)),
            ("Finished", When(task.FinishedAt, now, zone)),
            ("CPU time", task.Usage?.CpuTime is { } cpu
                ? cpu.ToTimeSpan().TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s"
                : None),
            ("Peak memory", task.Usage is { HasPeakMemoryBytes: true } usage
                ? string.Create(CultureInfo.InvariantCulture, $"{new RiverRun.Core.ByteSize(usage.PeakMemoryBytes)} ({usage.PeakMemoryBytes} bytes)")
                : None),
            ("Reason", OrNone(task.Reason)),
        ];
        var width = lines.Max(line => line.Key.Length) + 1;
        var text = new StringBuilder();
        foreach (var (key, value) in lines)
        {
            text.Append((key + ":").PadRight(width)).Append(' ').Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The table of <c>riverrun list</c>: ID STATE NODE OWNER CREATED COMMAND, in the order given.</summary>
    public static string List(IEnumerable<TaskInfo> tasks, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var table = new TextTable("ID", "STATE", "NODE", "OWNER", "CREATED", "COMMAND");
        foreach (var task in tasks)
        {
            table.AddRow(
                task.Id,
                TaskStateNames.Name(task.State),
                OrNone(task.Node),
                OrNone(task.Owner),
                task.CreatedAt is { } created ? Formats.Ago(created.ToDateTimeOffset(), now) : None,
                Formats.Command(task.Spec?.Argv ?? []));
        }

        return table.ToString();
    }

    /// <summary>One task's id and state, as kill, pause and resume print it: "0a1b2c3d4e5f KILLED".</summary>
    public static string StateLine(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return $"{task.Id} {TaskStateNames.Name(task.State)}";
    }

    /// <summary>How a task ended: "code 0", "signal 9", or "-" while unknown.</summary>
    public static string Exit(ExitStatus? exit) => exit switch
    {
        { HasSignal: true } => "signal " + exit.Signal.ToString(CultureInfo.InvariantCulture),
        { HasExitCode: true } => "code " + exit.ExitCode.ToString(CultureInfo.InvariantCulture),
        _ => None,
    };

    /// <summary>What a task asked for: "2 cores, 4G memory, timeout 1h" ("any" for no limit).</summary>
    public static string Resources(TaskSpec? spec)
    {
        var resources = new RiverRun.Core.Resources(spec?.Resources?.Cores ?? 0, spec?.Resources?.MemoryBytes ?? 0).ToString();
        return spec?.Timeout is { } timeout && timeout.ToTimeSpan() > TimeSpan.Zero
            ? $"{resources}, timeout {RiverRun.Core.DurationParser.Format(timeout.ToTimeSpan())}"
            : resources;
    }

    private static string When(Timestamp? time, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (time is null)
        {
            return None;
        }

        var value = time.ToDateTimeOffset();
        return $"{Formats.Timestamp(value, zone)} ({Formats.Ago(value, now)})";
    }

    private static string OrNone(string? text) => string.IsNullOrEmpty(text) ? None : text;
}
