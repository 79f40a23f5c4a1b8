using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using RiverRun.Cli.Output;
using RiverRun.Core;
using RiverRun.Host.Security;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun token create / list / revoke</c>: manage the Host's tokens (an admin token is needed).</summary>
public static class TokenCommand
{
    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("token", "Create, list and revoke the Host's tokens (needs an admin token)");
        CommandHelp.SetDetails(command, """
            Roles: admin (everything), user (submit; see and control its own tasks), runner (connect
            as the node given with --node, or its instances NODE-NAME), viewer (read-only).
            User and admin tokens carry the OS accounts their tasks run as (--accounts, default the
            token's name); a user token never runs a task as root.
            The Host keeps only a hash: a token is shown once, when it is created.

            Examples:
              riverrun token create --role user --name alice --expires 90d
              riverrun token create --role user --name alice --accounts alice,lab
              riverrun token create --role runner --name node1 --node node1 | tail -1
              riverrun token list
              riverrun token revoke alice
            """);
        command.Subcommands.Add(CreateCommand(services));
        command.Subcommands.Add(ListCommand(services));
        command.Subcommands.Add(RevokeCommand(services));
        return command;
    }

    private static Command CreateCommand(CommandServices services)
    {
        var command = new Command("create", "Create a token and print it once, alone on the last line");
        CommandHelp.SetDetails(command, """
            The last line of the output is the token and nothing else, so scripts take it with
            `tail -1`. Keep it in a 0600 file (~/.config/riverrun/token, or RIVERRUN_TOKEN=... in
            /etc/riverrun/riverrun.env for a Runner); it cannot be shown again.

            Tasks: a user token's tasks run as one of its --accounts (default: the token's name),
            the first unless `--user` names another of them; never as root. An admin token's tasks
            run as its first account unless `--user` names any other (`--accounts root` makes
            root its default: an explicit choice).

            Examples:
              riverrun token create --role user --name alice
              riverrun token create --role user --name bob --accounts bob,lab
              riverrun token create --role admin --name ops --accounts ops,root
              riverrun token create --role runner --name node2 --node node2 --expires 365d
            """);
        var role = new Option<string>("--role")
        {
            Description = "admin, user, runner or viewer",
            HelpName = "ROLE",
            Required = true,
        };
        role.Validators.Add(result =>
        {
            if (!TokenRoles.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError($"--role: '{result.GetValueOrDefault<string>()}' is not a role; use admin, user, runner or viewer");
            }
        });
        var name = new Option<string>("--name")
        {
            Description = "A unique name (tasks record it as their owner): " + NodeName.Rule,
            HelpName = "NAME",
            Required = true,
        };
        name.Validators.Add(result =>
        {
            if (TokenName.Validate(result.GetValueOrDefault<string>()) is { } error)
            {
                result.AddError("--name: " + error);
            }
        });
        var node = new Option<string?>("--node")
        {
            Description = "For runner tokens (required there): the node it may register as",
            HelpName = "NODE",
        };
        var accounts = new Option<string?>("--accounts")
        {
            Description = "For user and admin tokens: the OS accounts (comma-separated names or uids) its tasks may run as; the first is the default [default: the token's name]",
            HelpName = "ACCOUNT,...",
        };
        var expires = new Option<TimeSpan?>("--expires")
        {
            Description = $"How long it works: {DurationParser.Syntax}, e.g. 30d [default: never expires]",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                if (DurationParser.TryParse(result.Tokens.Count > 0 ? result.Tokens[^1].Value : null, out var value, out var error))
                {
                    return value;
                }

                result.AddError("--expires: " + error);
                return null;
            },
        };
        command.Options.Add(role);
        command.Options.Add(name);
        command.Options.Add(node);
        command.Options.Add(accounts);
        command.Options.Add(expires);
        command.SetAction((parseResult, _) =>
        {
            if (!TokenRoles.TryParse(parseResult.GetRequiredValue(role), out var tokenRole))
            {
                // The option's validator refused it already; this keeps the compiler and reader sure.
                throw CliException.Usage("--role: use admin, user, runner or viewer");
            }

            var request = new V1.CreateTokenRequest
            {
                Name = parseResult.GetRequiredValue(name),
                Role = (V1.TokenRole)(int)tokenRole,
                Node = parseResult.GetValue(node) ?? string.Empty,
            };
            if (parseResult.GetValue(accounts) is { } list)
            {
                // Empty entries are dropped ("a,,b", a trailing comma); the Host checks each name.
                request.Accounts.AddRange(list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                if (request.Accounts.Count == 0)
                {
                    throw CliException.Usage("--accounts: name at least one account, e.g. --accounts alice,lab");
                }
            }

            if (parseResult.GetValue(expires) is { } lifetime)
            {
                request.ExpiresAt = Timestamp.FromDateTimeOffset(services.Context.Time.GetUtcNow() + lifetime);
            }

            return services.CallHostAsync(parseResult, "the token create", async host =>
            {
                var created = await host.Tokens.CreateAsync(request).ResponseAsync.ConfigureAwait(false);
                await services.Context.Out.WriteLineAsync(
                    $"Created {Describe(created.Token, services.Context)}. It is shown once; the next line is the token:").ConfigureAwait(false);
                await services.Context.Out.WriteLineAsync(created.Secret).ConfigureAwait(false);
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command ListCommand(CommandServices services)
    {
        var command = new Command("list", "List the tokens (names, roles, nodes, expiry; never the tokens themselves)");
        command.SetAction((parseResult, _) => services.CallHostAsync(parseResult, "the token list", async host =>
        {
            var tokens = await host.Tokens.ListAsync(new V1.ListTokensRequest()).ResponseAsync.ConfigureAwait(false);
            var table = new TextTable("NAME", "ROLE", "NODE", "ACCOUNTS", "EXPIRES", "CREATED");
            foreach (var token in tokens.Tokens)
            {
                table.AddRow(
                    token.Name,
                    RoleName(token.Role),
                    token.Node.Length > 0 ? token.Node : "-",
                    token.Accounts.Count > 0 ? string.Join(',', token.Accounts) : "-",
                    token.ExpiresAt is { } e ? Time(e, services.Context) : "never",
                    Time(token.CreatedAt, services.Context));
            }

            await services.Context.Out.WriteAsync(table.ToString()).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RevokeCommand(CommandServices services)
    {
        var command = new Command("revoke", "Revoke a token: calls and open streams made with it stop at once");
        CommandHelp.SetDetails(command, """
            Example:
              riverrun token revoke alice
            """);
        var name = new Argument<string>("name") { Description = "The token's name (see `riverrun token list`)", HelpName = "NAME" };
        command.Arguments.Add(name);
        command.SetAction((parseResult, _) =>
        {
            var tokenName = parseResult.GetRequiredValue(name);
            return services.CallHostAsync(parseResult, $"revoking token {tokenName}", async host =>
            {
                var revoked = await host.Tokens.RevokeAsync(new V1.RevokeTokenRequest { Name = tokenName }).ResponseAsync.ConfigureAwait(false);
                await services.Context.Out.WriteLineAsync(
                    $"Revoked {tokenName} ({revoked.ClosedStreams.ToString(CultureInfo.InvariantCulture)} open stream(s) closed)").ConfigureAwait(false);
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static string Describe(V1.TokenInfo token, CliContext context) =>
        $"{RoleName(token.Role)} token '{token.Name}'"
        + (token.Node.Length > 0 ? $" for node {token.Node}" : string.Empty)
        + (token.Accounts.Count > 0 ? $", runs tasks as {string.Join(", ", token.Accounts)} (default {token.Accounts[0]})" : string.Empty)
        + (token.ExpiresAt is { } e ? $", expires {Time(e, context)}" : ", never expires");

    private static string RoleName(V1.TokenRole role) =>
        System.Enum.IsDefined((TokenRole)(int)role) ? ((TokenRole)(int)role).ToName() : role.ToString();

    private static string Time(Timestamp timestamp, CliContext context) =>
        TimeZoneInfo.ConvertTime(timestamp.ToDateTimeOffset(), context.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
