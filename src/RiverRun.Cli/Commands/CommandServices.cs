using System.CommandLine;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Core;

namespace RiverRun.Cli.Commands;

/// <summary>
/// What every command's factory gets: the console and environment (<see cref="CliContext"/>) and
/// the global <c>--host</c> option, plus the plumbing shared by the client commands.
/// </summary>
public sealed class CommandServices
{
    public CommandServices(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        HostOption = new Option<string?>("--host")
        {
            Description = $"The Host's address, e.g. http://head:8700 [default: ${HostConnection.HostVariable}, else {HostConnection.DefaultAddress}]",
            HelpName = "URL",
            Recursive = true,
        };
        CaOption = new Option<string?>("--ca")
        {
            Description = $"The CA certificate (PEM) that alone may vouch for an https:// Host, e.g. ca.crt from `riverrun init tls` [default: ${HostConnection.CaVariable}, else the system trust store]",
            HelpName = "FILE",
            Recursive = true,
        };
    }

    /// <summary>The console, environment, clock and Ctrl-C.</summary>
    public CliContext Context { get; }

    /// <summary>The global <c>--host URL</c> option (on the root, valid after any command).</summary>
    public Option<string?> HostOption { get; }

    /// <summary>The global <c>--ca FILE</c> option: the CA an https:// Host's certificate must chain to.</summary>
    public Option<string?> CaOption { get; }

    /// <summary>
    /// Runs a client action against the Host: connects, runs it, and turns a failed call into the
    /// user's one-line error (<paramref name="what"/> names the request, e.g. "the submit").
    /// </summary>
    public async Task<int> CallHostAsync(ParseResult parseResult, string what, Func<HostConnection, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(action);
        using var host = HostConnection.Open(parseResult.GetValue(HostOption), parseResult.GetValue(CaOption), Context);
        try
        {
            return await action(host).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            throw host.Describe(ex, what);
        }
    }

    /// <summary>A task id argument, checked locally (12 lowercase letters and digits) before anything is sent.</summary>
    public static Argument<string> TaskIdArgument(string description) => new("id")
    {
        Description = description,
        HelpName = "ID",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!TaskId.TryParse(text, out _, out var error))
            {
                result.AddError(error);
            }

            return text;
        },
    };
}
