using System.CommandLine;
using RiverRun.Cli.Commands;
using RiverRun.Cli.Output;

namespace RiverRun.Cli;

/// <summary>
/// The <c>riverrun</c> command line: builds the root command, parses, runs the chosen command and
/// turns every failure into one line on standard error and an exit code. The process and the
/// tests both go through <see cref="RunAsync"/>.
/// </summary>
public static class CliApp
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var root = BuildRootCommand(new CommandServices(context));
        // No response files: "@file" after -- is the task's argument, not ours to expand.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (args.Count == 0)
        {
            await context.Error.WriteLineAsync("riverrun: no command given; see riverrun --help").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // The NativeAOT client hands host, runner, init and doctor (their --help and parse errors
        // too) to riverrun-server, which parses them itself.
        if (ServerHandoff.HandedOffCommand(parseResult) is { } handedOff)
        {
            return ServerHandoff.Exec(handedOff, args, context.Error);
        }

        if (parseResult.Errors.Count > 0 && parseResult.Action is not { ClearsParseErrors: true })
        {
            await context.Error.WriteLineAsync("riverrun: " + DescribeParseError(parseResult)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            // Ctrl-C is ours (CliContext.Interrupts): run detaches, and must outlive any timeout.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parseResult.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            if (ex.Message.Length > 0)
            {
                await context.Error.WriteLineAsync("riverrun: " + ex.Message).ConfigureAwait(false);
            }

            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Interrupted;
        }
#pragma warning disable CA1031 // The last line of defence: one line and an exit code instead of a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await context.Error.WriteLineAsync($"riverrun: internal error: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The root command with every subcommand of <see cref="CommandList"/> and the global options.</summary>
    public static RootCommand BuildRootCommand(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var root = new RootCommand("riverrun runs commands on the nodes of a RiverRun cluster and brings their output back");
        CommandHelp.SetDetails(root, $"""
            The Host is --host URL, else ${HostConnection.HostVariable}, else {HostConnection.DefaultAddress}.
            The client token is read from ${HostConnection.TokenVariable} (never from the command line).
            An https:// Host's certificate is checked against --ca FILE, else ${HostConnection.CaVariable}, else
            the system trust store; its name must match the Host URL.
            Sizes take K, M, G or T, powers of 1024 (4G = 4 GiB); durations look like 30s, 5m, 2h, 1h30m.

            Examples:
              riverrun run --target node1 --cores 2 --memory 4G -- python train.py
              riverrun nodes
              riverrun --host https://head:8700 --ca /etc/riverrun/tls/ca.crt nodes
              riverrun logs -f 0a1b2c3d4e5f

            """ + "\n" + ExitCodes.HelpText);
        root.Options.Add(services.HostOption);
        root.Options.Add(services.CaOption);
        foreach (var command in CommandList.Create(services))
        {
            root.Subcommands.Add(command);
        }

        CommandHelp.Install(root);
        return root;
    }

    // One line: the first error, and where help is.
    private static string DescribeParseError(ParseResult parseResult)
    {
        // Up the chain of results, so a nested command reads "riverrun init config".
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        var commandPath = string.Join(' ', names.Skip(1).Prepend("riverrun"));
        // "Unrecognized command or argument 'x'" says more than "Required command was not provided".
        var error = parseResult.Errors.FirstOrDefault(e => parseResult.UnmatchedTokens.Any(token => e.Message.Contains($"'{token}'", StringComparison.Ordinal)))
            ?? parseResult.Errors[0];
        var message = error.Message.TrimEnd('.');
        if (parseResult.CommandResult.Command.Name is "run" or "submit" && !parseResult.Tokens.Any(token => token.Value == "--"))
        {
            // "riverrun run python -c x": -c was read as --cores.
            message += "; if that belongs to the command, put the command after --, e.g. riverrun run -- CMD -x";
        }

        return $"{message} (see {commandPath} --help)";
    }
}
