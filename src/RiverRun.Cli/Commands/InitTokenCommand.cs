using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Configuration;
using RiverRun.Host;
using RiverRun.Host.Security;
using RiverRun.Host.Storage;
using RiverRun.Systemd.Units;

namespace RiverRun.Cli.Commands;

/// <summary>
/// <c>riverrun init token</c>: the first admin token, run as root on the Host's machine. It goes
/// straight into the Host's database (the token store, beside a running Host or before its first
/// start: no token exists yet that could call the Tokens service), and into the 0600 environment
/// file as RIVERRUN_TOKEN for local use. Printed only with --print.
/// </summary>
public static class InitTokenCommand
{
    /// <summary>The token's name unless --name says otherwise.</summary>
    public const string DefaultName = "admin";

    /// <summary>The first admin's accounts unless --accounts says otherwise: root, the explicit choice of whoever is root here.</summary>
    public const string DefaultAccounts = "root";

    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("token", "Create the first admin token on the Host's machine");
        CommandHelp.SetDetails(command, $"""
            Run as root on the Host's machine. Stores the token's hash in the Host's database (its
            data directory from host.toml, or --data-dir) and writes RIVERRUN_TOKEN=<token> into
            {ServiceUnitOptions.EnvironmentFilePath} (mode 0600, other lines kept), where the CLI
            run as root (`set -a; . {ServiceUnitOptions.EnvironmentFilePath}`) and the services find it.
            From then on every call to the Host needs a token: create the others with
            `riverrun token create`. The token is not printed unless --print is given.

            Tasks this admin token submits without --user run as its first account: root unless
            --accounts says otherwise. That is a choice made here, on purpose: user tokens never
            run tasks as root, and other admin tokens default to their own name.

            Examples:
              sudo riverrun init token
              sudo riverrun init token --accounts ops,root      # tasks without --user run as ops
              sudo riverrun init token --name ops --print | tail -1
            """);
        var config = new Option<string?>("--config") { Description = $"The Host's configuration file [default: {HostConfiguration.DefaultPath}]", HelpName = "PATH" };
        var dataDir = new Option<string?>("--data-dir") { Description = "The Host's data directory [default: from the Host's configuration]", HelpName = "DIR" };
        var envFile = new Option<string>("--env-file")
        {
            Description = "The environment file to write RIVERRUN_TOKEN into",
            HelpName = "PATH",
            DefaultValueFactory = _ => ServiceUnitOptions.EnvironmentFilePath,
        };
        var name = new Option<string>("--name") { Description = "The token's name", HelpName = "NAME", DefaultValueFactory = _ => DefaultName };
        name.Validators.Add(result =>
        {
            if (TokenName.Validate(result.GetValueOrDefault<string>()) is { } error)
            {
                result.AddError("--name: " + error);
            }
        });
        var accounts = new Option<string>("--accounts")
        {
            Description = "The OS accounts (comma-separated) its tasks run as when a submit names no --user; the first is the default",
            HelpName = "ACCOUNT,...",
            DefaultValueFactory = _ => DefaultAccounts,
        };
        var print = new Option<bool>("--print") { Description = "Also print the token, once, alone on the last line" };
        command.Options.Add(config);
        command.Options.Add(dataDir);
        command.Options.Add(envFile);
        command.Options.Add(name);
        command.Options.Add(accounts);
        command.Options.Add(print);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            string directory;
            try
            {
                directory = parseResult.GetValue(dataDir)
                    ?? HostConfiguration.Load(parseResult.GetValue(config), services.Context.GetEnvironmentVariable).DataDirectory;
            }
            catch (ConfigurationException ex)
            {
                throw CliException.Usage(ex.Message);
            }

            var tokenName = parseResult.GetRequiredValue(name);
            var problems = new List<string>();
            var taskAccounts = TaskAccounts.Create(
                parseResult.GetRequiredValue(accounts).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                rootAllowed: true,
                problems) ?? throw CliException.Usage("--" + string.Join("; ", problems));
            var envPath = parseResult.GetRequiredValue(envFile);
            var secret = TokenSecret.Generate();
            using (var store = new SqliteTokenStore(directory))
            {
                var token = new TokenRecord(tokenName, TokenRole.Admin, null, null, services.Context.Time.GetUtcNow(), taskAccounts);
                if (!await store.TryCreateAsync(token, TokenSecret.Hash(secret), cancellationToken).ConfigureAwait(false))
                {
                    throw CliException.Usage(
                        $"the Host in {directory} already has a token named '{tokenName}'; choose another with --name, or revoke it first (`riverrun token revoke {tokenName}`)");
                }
            }

            await WriteEnvironmentFileAsync(envPath, secret, cancellationToken).ConfigureAwait(false);
            await services.Context.Out.WriteLineAsync(
                $"Created admin token '{tokenName}' in the Host's database in {directory}; RIVERRUN_TOKEN is in {envPath} (mode 0600). Its tasks run as {taskAccounts.Default} unless --user names another account.").ConfigureAwait(false);
            if (parseResult.GetValue(print))
            {
                await services.Context.Out.WriteLineAsync(secret).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    // Written to a 0600 temporary file and renamed over the old one: the token is never readable
    // by others, not even for a moment, and a crash leaves the old file or the new one.
    private static async Task WriteEnvironmentFileAsync(string path, string secret, CancellationToken cancellationToken)
    {
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : string.Empty;
        var text = EnvironmentFileText.WithVariable(existing, HostConnection.TokenVariable, secret);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Join(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        await using (var stream = new FileStream(temporary, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }
}
