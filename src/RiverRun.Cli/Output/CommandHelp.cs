using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace RiverRun.Cli.Output;

/// <summary>
/// --help for every command: System.CommandLine's help (a command's Description is its one-line
/// summary, which is also what lists of commands show), followed by the command's details —
/// more explanation, examples, exit codes — set with <see cref="SetDetails"/>.
/// </summary>
public sealed class CommandHelp : SynchronousCommandLineAction
{
    private static readonly ConditionalWeakTable<Command, string> Details = [];
    private readonly SynchronousCommandLineAction _inner;

    private CommandHelp(SynchronousCommandLineAction inner) => _inner = inner;

    public override bool ClearsParseErrors => true;

    /// <summary>Text shown after the standard help of <paramref name="command"/>.</summary>
    public static void SetDetails(Command command, string details) => Details.AddOrUpdate(command, details);

    /// <summary>The details of <paramref name="command"/>, or null.</summary>
    public static string? GetDetails(Command command) => Details.TryGetValue(command, out var details) ? details : null;

    /// <summary>Wraps the action of <paramref name="root"/>'s --help option (which applies to every command).</summary>
    public static void Install(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var option in root.Options.OfType<HelpOption>())
        {
            if (option.Action is SynchronousCommandLineAction inner and not CommandHelp)
            {
                option.Action = new CommandHelp(inner);
            }
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var result = _inner.Invoke(parseResult);
        if (GetDetails(parseResult.CommandResult.Command) is { } details)
        {
            var output = parseResult.InvocationConfiguration.Output;
            // The standard help ends with an empty line already.
            output.WriteLine(details.TrimEnd());
            output.WriteLine();
        }

        return result;
    }
}
