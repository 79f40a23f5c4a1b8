using System.CommandLine;
using System.CommandLine.Parsing;
using RiverRun.Systemd.Processes;

namespace RiverRun.Cli;

/// <summary>
/// Hands the commands the NativeAOT client does not hold (<c>host</c>, <c>runner</c>, <c>init</c>,
/// <c>doctor</c>) to <c>riverrun-server</c> beside it, arguments unchanged, by execv.
/// </summary>
/// <remarks>
/// Why two executables: those commands bring Kestrel, SQLite and the Runner, and one executable
/// holding them all made every client start rehydrate and map 21 MB: 11 ms of CPU for
/// <c>riverrun --version</c> and 32 MB RSS for <c>riverrun run</c>, against 4.4 ms and 19 MB for the
/// 9 MB client alone (measured side by side). Why exec: the process id stays, so a systemd unit
/// whose ExecStart is <c>riverrun host</c> still has the service as its main process, and its
/// sd_notify READY=1 comes from that process. exec keeps the environment (RIVERRUN_*, NOTIFY_SOCKET,
/// LISTEN_FDS) and file descriptors without close-on-exec, which is how systemd's sockets arrive.
/// </remarks>
public static class ServerHandoff
{
    /// <summary>The executable that holds every command, installed beside <c>riverrun</c>.</summary>
    public const string ExecutableName = "riverrun-server";

    /// <summary>A command of the client's --help that stands for one of riverrun-server: it takes any arguments, which go along unchanged.</summary>
    public static Command Placeholder(string name, string description)
    {
        var command = new PlaceholderCommand(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.Arguments.Add(new Argument<string[]>("arguments") { Arity = ArgumentArity.ZeroOrMore, Hidden = true });
        return command;
    }

    /// <summary>The handed-off command <paramref name="parseResult"/> chose (also for its --help or a parse error), or null.</summary>
    public static string? HandedOffCommand(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        for (SymbolResult? result = parseResult.CommandResult; result is not null; result = result.Parent)
        {
            if (result is CommandResult { Command: PlaceholderCommand handedOff })
            {
                return handedOff.Name;
            }
        }

        return null;
    }

    /// <summary>Where riverrun-server must be: beside this executable (symbolic links resolved, as /proc/self/exe is).</summary>
    public static string ServerPath(string executablePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(executablePath);
        return Path.Join(Path.GetDirectoryName(executablePath), ExecutableName);
    }

    /// <summary>
    /// Replaces this process with riverrun-server, run with <paramref name="args"/>. Returns only
    /// when that fails: then the exit code, after one line on <paramref name="error"/> that says why.
    /// </summary>
    public static int Exec(string command, IReadOnlyList<string> args, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        var server = ServerPath(Environment.ProcessPath ?? throw new InvalidOperationException("the path of this executable is unknown"));
        if (!File.Exists(server))
        {
            error.WriteLine(MissingServerMessage(command, server));
            return ExitCodes.Unavailable;
        }

        // argv[0] stays as the user typed it, so the server's help and messages say `riverrun host`
        // and ps shows the command the unit runs; /proc/self/exe still names riverrun-server.
        var reason = ProcessImage.Replace(server, [Environment.GetCommandLineArgs()[0], .. args]);
        error.WriteLine($"riverrun: cannot start {server} for `riverrun {command}`: {reason}");
        return ExitCodes.Unavailable;
    }

    /// <summary>What a client without riverrun-server beside it says.</summary>
    public static string MissingServerMessage(string command, string server) =>
        $"riverrun: `riverrun {command}` runs in {ExecutableName}, which is not installed beside this riverrun ({server} does not exist); " +
        $"copy both riverrun and {ExecutableName} from the publish directory (dotnet publish src/RiverRun.Cli -p:PublishAot=true -o DIR writes both)";

    private sealed class PlaceholderCommand(string name, string description) : Command(name, description);
}
