using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RiverRun.Cli.Tests.Infrastructure;
using RiverRun.Host;
using RiverRun.Host.Security;
using RiverRun.Host.Storage;

namespace RiverRun.Cli.Tests;

/// <summary>`riverrun token` and `riverrun init token` against a real Host (Kestrel, SQLite) in this process.</summary>
public sealed class TokenCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private WebApplication _host = null!;
    private string _address = null!;

    public async ValueTask InitializeAsync()
    {
        var options = new HostOptions { Listen = "127.0.0.1:0", HttpListen = HttpListenAddress.None, DataDirectory = Path.Join(_directory.Path, "data") };
        // Quiet: the Host's log is not what these tests read.
        _host = HostApplication.Build(options, ["--Logging:LogLevel:Default=None"]);
        await _host.StartAsync();
        _address = $"http://{_host.Services.GetRequiredService<HostListeners>().Grpc}";
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Init_token_stores_the_first_admin_token_and_writes_it_only_to_the_0600_environment_file()
    {
        var envFile = Path.Join(_directory.Path, "etc", "riverrun.env");
        Directory.CreateDirectory(Path.GetDirectoryName(envFile)!);
        await File.WriteAllTextAsync(envFile, "# tokens\nRIVERRUN_TOKEN=old\nOTHER=1\n");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("init", "token", "--data-dir", Path.Join(_directory.Path, "data"), "--env-file", envFile);

        Assert.Equal(ExitCodes.Success, exitCode);
        var lines = await File.ReadAllLinesAsync(envFile);
        Assert.Equal("# tokens", lines[0]);
        Assert.StartsWith("RIVERRUN_TOKEN=rr_", lines[1], StringComparison.Ordinal);
        Assert.Equal("OTHER=1", lines[2]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(envFile));
        var secret = lines[1]["RIVERRUN_TOKEN=".Length..];
        Assert.DoesNotContain(secret, cli.Stdout + cli.Stderr, StringComparison.Ordinal);
        var stored = await Tokens().FindAsync(TokenSecret.Hash(secret));
        Assert.Equal("admin", stored?.Name);
        // The first admin's tasks run as root unless --user says otherwise, and init token says so.
        Assert.Equal("root", stored?.Accounts?.ToString());
        Assert.Contains("Its tasks run as root unless --user names another account.", cli.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_create_prints_the_token_alone_on_the_last_line_and_it_works()
    {
        var admin = await AdminAsync();

        var (exitCode, cli) = await RunAsync(admin, "token", "create", "--role", "user", "--name", "alice", "--expires", "30d");

        Assert.Equal(ExitCodes.Success, exitCode);
        var last = cli.Stdout.TrimEnd('\n').Split('\n')[^1];
        Assert.Matches("^rr_[A-Za-z0-9_-]{43}$", last);
        Assert.Contains("user token 'alice'", cli.Stdout, StringComparison.Ordinal);
        var (listExit, list) = await RunAsync(last, "list");
        Assert.Equal(ExitCodes.Success, listExit);
        Assert.Empty(list.Stderr);
        var alice = await Tokens().FindAsync(TokenSecret.Hash(last));
        Assert.Equal(TokenRole.User, alice?.Role);
        Assert.InRange(alice!.ExpiresAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task Token_list_shows_names_and_roles_but_never_a_token()
    {
        var admin = await AdminAsync();
        var (_, created) = await RunAsync(admin, "token", "create", "--role", "runner", "--name", "node1", "--node", "node1");
        var runnerSecret = created.Stdout.TrimEnd('\n').Split('\n')[^1];

        var (exitCode, cli) = await RunAsync(admin, "token", "list");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Matches(@"node1\s+runner\s+node1\s+-\s+never", cli.Stdout);
        Assert.Contains("root-admin", cli.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(runnerSecret, cli.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(admin, cli.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_tokens_carry_their_accounts_their_name_by_default_and_the_list_shows_them()
    {
        var admin = await AdminAsync();

        var (exitCode, lab) = await RunAsync(admin, "token", "create", "--role", "user", "--name", "alice", "--accounts", "alice, lab");
        await RunAsync(admin, "token", "create", "--role", "user", "--name", "bob");
        var (rootExit, root) = await RunAsync(admin, "token", "create", "--role", "user", "--name", "eve", "--accounts", "root");
        var (_, list) = await RunAsync(admin, "token", "list");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("runs tasks as alice, lab (default alice)", lab.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"alice\s+user\s+-\s+alice,lab\s+never", list.Stdout);
        Assert.Matches(@"bob\s+user\s+-\s+bob\s+never", list.Stdout);
        Assert.Equal(ExitCodes.Usage, rootExit);
        Assert.Contains("a user token never runs tasks as root", root.Stderr, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^eve\s", list.Stdout);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_at_the_next_call_with_a_message_saying_what_to_do()
    {
        var admin = await AdminAsync();
        var (_, created) = await RunAsync(admin, "token", "create", "--role", "viewer", "--name", "watcher");
        var watcher = created.Stdout.TrimEnd('\n').Split('\n')[^1];

        var (revokeExit, revoke) = await RunAsync(admin, "token", "revoke", "watcher");
        var (listExit, refused) = await RunAsync(watcher, "list");

        Assert.Equal(ExitCodes.Success, revokeExit);
        Assert.Contains("Revoked watcher", revoke.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Unavailable, listExit);
        Assert.Contains("not known to this Host", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(watcher, refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_token_cannot_manage_tokens_and_is_told_which_role_can()
    {
        var admin = await AdminAsync();
        var (_, created) = await RunAsync(admin, "token", "create", "--role", "user", "--name", "bob");
        var bob = created.Stdout.TrimEnd('\n').Split('\n')[^1];

        var (exitCode, cli) = await RunAsync(bob, "token", "create", "--role", "admin", "--name", "mine");

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Contains("role user, which may not call riverrun.v1.Tokens/Create; that needs a token with role admin", cli.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "token", "create", "--role", "boss", "--name", "x" }, "--role: 'boss' is not a role")]
    [InlineData(new[] { "token", "create", "--role", "user", "--name", "-x" }, "--name: token name '-x' starts with '-'")]
    [InlineData(new[] { "token", "create", "--role", "user", "--name", "x", "--expires", "soon" }, "--expires:")]
    public async Task Bad_token_options_are_refused_before_anything_is_sent(string[] args, string message)
    {
        var cli = new CliRun();
        cli.SetEnvironment(HostConnection.HostVariable, "http://127.0.0.1:1");

        var exitCode = await cli.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(message, cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runner_token_without_a_node_is_refused_by_the_Host_with_the_fix()
    {
        var (exitCode, cli) = await RunAsync(await AdminAsync(), "token", "create", "--role", "runner", "--name", "node9");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("--node NODE", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_file_is_used_when_private_and_refused_when_others_may_read_it()
    {
        var admin = await AdminAsync();
        var home = Path.Join(_directory.Path, "home");
        var file = Path.Join(home, ".config", "riverrun", "token");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, admin + "\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var cli = new CliRun();
        cli.SetEnvironment(HostConnection.HostVariable, _address);
        cli.SetEnvironment("HOME", home);

        Assert.Equal(ExitCodes.Success, await cli.RunAsync("token", "list"));

        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var refused = new CliRun();
        refused.SetEnvironment(HostConnection.HostVariable, _address);
        refused.SetEnvironment("HOME", home);
        Assert.Equal(ExitCodes.Usage, await refused.RunAsync("token", "list"));
        Assert.Contains($"chmod 600 {file}", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(admin, refused.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "RIVERRUN_TOKEN=t\n")]
    [InlineData("A=1\n", "A=1\nRIVERRUN_TOKEN=t\n")]
    [InlineData("RIVERRUN_TOKEN=old\nB=2", "RIVERRUN_TOKEN=t\nB=2\n")]
    [InlineData("# c\nexport RIVERRUN_TOKEN=x\nRIVERRUN_TOKEN=y\n", "# c\nRIVERRUN_TOKEN=t\n")]
    [InlineData("RIVERRUN_TOKENS=keep\n", "RIVERRUN_TOKENS=keep\nRIVERRUN_TOKEN=t\n")]
    public void The_environment_file_gets_one_token_line_and_keeps_every_other_line(string before, string after) =>
        Assert.Equal(after, EnvironmentFileText.WithVariable(before, "RIVERRUN_TOKEN", "t"));

    private SqliteTokenStore Tokens() => _host.Services.GetRequiredService<SqliteTokenStore>();

    private async Task<string> AdminAsync()
    {
        var secret = TokenSecret.Generate();
        Assert.True(await Tokens().TryCreateAsync(new TokenRecord("root-admin", TokenRole.Admin, null, null, DateTimeOffset.UtcNow), TokenSecret.Hash(secret)));
        return secret;
    }

    private async Task<(int ExitCode, CliRun Cli)> RunAsync(string token, params string[] args)
    {
        var cli = new CliRun();
        cli.SetEnvironment(HostConnection.HostVariable, _address);
        cli.SetEnvironment(HostConnection.TokenVariable, token);
        return (await cli.RunAsync(args), cli);
    }
}
