using System.CommandLine;
using System.CommandLine.Parsing;
using Google.Protobuf.WellKnownTypes;
using RiverRun.Cli.Parsing;
using RiverRun.Contracts.V1;
using RiverRun.Core;
using CoreResources = RiverRun.Core.Resources;
using CoreTargetSelector = RiverRun.Core.TargetSelector;
using CoreTaskSpec = RiverRun.Core.TaskSpec;
using WireResources = RiverRun.Contracts.V1.Resources;
using WireTargetSelector = RiverRun.Contracts.V1.TargetSelector;
using WireTaskSpec = RiverRun.Contracts.V1.TaskSpec;

namespace RiverRun.Cli.Commands;

/// <summary>
/// The options that describe a task, shared by <c>run</c> and <c>submit</c>, and how they become
/// a <see cref="SubmitRequest"/>. Everything is checked here, before anything is sent: a bad
/// size, core count, duration, target, variable or a missing command is a usage error (exit 2).
/// </summary>
public sealed class TaskSpecOptions
{
    /// <summary>The options and the command argument, added to <paramref name="command"/>.</summary>
    public TaskSpecOptions(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Targets);
        command.Options.Add(Cores);
        command.Options.Add(Memory);
        command.Options.Add(Env);
        command.Options.Add(WorkingDirectory);
        command.Options.Add(User);
        command.Options.Add(Timeout);
        command.Arguments.Add(CommandLine);
    }

    /// <summary><c>--target T</c>, repeatable: one task per target.</summary>
    public Option<string[]> Targets { get; } = new("--target", "-t")
    {
        Description = $"Where to run: {CoreTargetSelector.Syntax}. Repeat for one task per target. Default: any node with room",
        HelpName = "TARGET",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary><c>--cores N</c>.</summary>
    public Option<CoreCount?> Cores { get; } = new("--cores", "-c")
    {
        Description = "CPU cores the task may use (CPUQuota=N*100%), fractions allowed, e.g. 2 or 0.5. Default: no limit",
        HelpName = "N",
        CustomParser = result => ParseSingle(result, "--cores", (string text, out CoreCount value, out string? error) => CoreCount.TryParse(text, out value, out error)),
    };

    /// <summary><c>--memory SIZE</c>.</summary>
    public Option<ByteSize?> Memory { get; } = new("--memory", "-m")
    {
        Description = "Memory limit (MemoryMax, no swap): a number with K, M, G or T, powers of 1024 (4G = 4 GiB), e.g. 512M. Default: no limit",
        HelpName = "SIZE",
        CustomParser = result => ParseSingle(result, "--memory", (string text, out ByteSize value, out string? error) => ByteSize.TryParse(text, out value, out error)),
    };

    /// <summary><c>--env K=V</c>, repeatable.</summary>
    public Option<string[]> Env { get; } = new("--env", "-e")
    {
        Description = "Set an environment variable for the task, NAME=VALUE. Repeatable",
        HelpName = "NAME=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary><c>--workdir DIR</c>.</summary>
    public Option<string?> WorkingDirectory { get; } = new("--workdir", "-w")
    {
        Description = "Absolute working directory on the node. Default: the user's home",
        HelpName = "DIR",
    };

    /// <summary><c>--user U</c>.</summary>
    public Option<string?> User { get; } = new("--user", "-u")
    {
        Description = "User name or uid to run as on the node; a user token may name only its own accounts, never root. Default: the token's first account (see `riverrun token --help`); root under open access",
        HelpName = "USER",
    };

    /// <summary><c>--timeout DURATION</c>.</summary>
    public Option<TimeSpan?> Timeout { get; } = new("--timeout")
    {
        Description = $"Stop the task after this long (it ends TIMED_OUT): {DurationParser.Syntax}. Default: none",
        HelpName = "DURATION",
        CustomParser = result => ParseSingle(result, "--timeout", (string text, out TimeSpan value, out string? error) => DurationParser.TryParse(text, out value, out error)),
    };

    /// <summary>The command and its arguments, after <c>--</c>.</summary>
    public Argument<string[]> CommandLine { get; } = new("command")
    {
        Description = "The command to run and its arguments; put them after -- so that their options are not read as riverrun's",
        HelpName = "CMD [ARGS...]",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private delegate bool TryParser<T>(string text, out T value, out string? error);

    /// <summary>
    /// The request the parsed options describe.
    /// </summary>
    /// <exception cref="CliException">Something is missing or invalid (exit 2); nothing should be sent.</exception>
    public SubmitRequest BuildRequest(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var argv = parseResult.GetValue(CommandLine) ?? [];
        if (argv.Length == 0)
        {
            throw CliException.Usage("no command given; put the command to run after --, e.g. riverrun run -- uname -a");
        }

        var targets = new List<WireTargetSelector>();
        foreach (var text in parseResult.GetValue(Targets) ?? [])
        {
            if (!CoreTargetSelector.TryParse(text, out var target, out var error))
            {
                throw CliException.Usage("--target: " + error);
            }

            var wire = new WireTargetSelector { Node = target.Node };
            if (target.NumaNode is { } numa)
            {
                wire.NumaNode = numa;
            }

            wire.Gpus.Add(target.Gpus);
            targets.Add(wire);
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parseResult.GetValue(Env) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw CliException.Usage($"--env '{pair}' has no '='; write NAME=VALUE, e.g. --env OMP_NUM_THREADS=4");
            }

            var name = pair[..equals];
            if (EnvironmentVariableName.Validate(name) is { } nameError)
            {
                throw CliException.Usage("--env: " + nameError);
            }

            if (!env.TryAdd(name, pair[(equals + 1)..]))
            {
                throw CliException.Usage($"--env {name} is given more than once; give each variable once");
            }
        }

        var cores = parseResult.GetValue(Cores);
        var memory = parseResult.GetValue(Memory);
        var spec = new CoreTaskSpec
        {
            Argv = argv,
            Env = env,
            WorkingDirectory = parseResult.GetValue(WorkingDirectory),
            User = parseResult.GetValue(User),
            Resources = new CoreResources(cores?.Cores ?? 0, memory?.Bytes ?? 0),
            Timeout = parseResult.GetValue(Timeout),
        };
        if (spec.Validate() is [var problem, ..])
        {
            throw CliException.Usage($"{OptionFor(problem.Field)}: {problem.Message}");
        }

        var wireSpec = new WireTaskSpec
        {
            WorkingDirectory = spec.WorkingDirectory ?? string.Empty,
            User = spec.User ?? string.Empty,
            Resources = new WireResources { Cores = spec.Resources.Cores, MemoryBytes = spec.Resources.MemoryBytes },
        };
        wireSpec.Argv.Add(spec.Argv);
        wireSpec.Env.Add(env);
        if (spec.Timeout is { } timeout)
        {
            wireSpec.Timeout = Duration.FromTimeSpan(timeout);
        }

        var request = new SubmitRequest { Spec = wireSpec };
        request.Targets.Add(targets);
        return request;
    }

    // The wire's field names, as TaskSpec.Validate reports them, in the user's terms.
    private static string OptionFor(string field) => field switch
    {
        _ when field.StartsWith("argv", StringComparison.Ordinal) => "command",
        _ when field.StartsWith("env", StringComparison.Ordinal) => "--env",
        "working_directory" => "--workdir",
        "user" => "--user",
        "resources.cores" => "--cores",
        "resources.memory_bytes" => "--memory",
        "timeout" => "--timeout",
        _ => field,
    };

    private static T? ParseSingle<T>(ArgumentResult result, string option, TryParser<T> parse)
        where T : struct
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (parse(text, out var value, out var error))
        {
            return value;
        }

        result.AddError($"{option}: {error}");
        return null;
    }
}
