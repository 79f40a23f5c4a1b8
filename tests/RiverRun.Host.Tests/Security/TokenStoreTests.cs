using System.Text;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using RiverRun.Host.Security;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Tests.Security;

/// <summary>Secrets, the tokens table, and the authorizer that reads it.</summary>
public sealed class TokenStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("riverrun-token-tests-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Secrets_are_256_random_bits_with_a_recognisable_prefix()
    {
        var secrets = Enumerable.Range(0, 1000).Select(_ => TokenSecret.Generate()).ToList();

        Assert.Equal(1000, secrets.Distinct(StringComparer.Ordinal).Count());
        Assert.All(secrets, s => Assert.StartsWith("rr_", s, StringComparison.Ordinal));
        // 32 bytes are 43 base64url characters without padding.
        Assert.All(secrets, s => Assert.Equal(3 + 43, s.Length));
        Assert.All(secrets, s => Assert.Matches("^rr_[A-Za-z0-9_-]+$", s));
    }

    [Fact]
    public void The_hash_is_SHA256_and_hashes_compare_by_value()
    {
        var hash = TokenSecret.Hash("rr_x");

        Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("rr_x")), hash);
        Assert.True(TokenSecret.HashesEqual(hash, TokenSecret.Hash("rr_x")));
        Assert.False(TokenSecret.HashesEqual(hash, TokenSecret.Hash("rr_y")));
    }

    [Fact]
    public async Task A_created_token_is_found_by_its_secret_and_the_database_never_holds_the_secret()
    {
        using (var store = new SqliteTokenStore(_directory))
        {
            var secret = TokenSecret.Generate();
            Assert.False(await store.AnyAsync());
            Assert.True(await store.TryCreateAsync(new TokenRecord("node1", TokenRole.Runner, "node1", Now.AddDays(30), Now), TokenSecret.Hash(secret)));

            var found = await store.FindAsync(TokenSecret.Hash(secret));

            Assert.Equal(new TokenRecord("node1", TokenRole.Runner, "node1", Now.AddDays(30), Now), found);
            Assert.Null(await store.FindAsync(TokenSecret.Hash(secret + "x")));
            Assert.True(await store.AnyAsync());
            SqliteConnection.ClearAllPools();
            var bytes = Directory.GetFiles(_directory).SelectMany(File.ReadAllBytes).ToArray();
            Assert.NotEmpty(bytes);
            Assert.DoesNotContain(secret, Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Names_are_unique_and_a_revoked_token_is_gone()
    {
        using var store = new SqliteTokenStore(_directory);
        Assert.True(await store.TryCreateAsync(new TokenRecord("alice", TokenRole.User, null, null, Now), TokenSecret.Hash("a")));

        Assert.False(await store.TryCreateAsync(new TokenRecord("alice", TokenRole.Admin, null, null, Now), TokenSecret.Hash("b")));
        Assert.Equal(TokenRole.User, Assert.Single(await store.ListAsync()).Role);

        Assert.True(await store.RevokeAsync("alice"));
        Assert.False(await store.RevokeAsync("alice"));
        Assert.Null(await store.FindAsync(TokenSecret.Hash("a")));
        Assert.Empty(await store.ListAsync());
    }

    [Fact]
    public async Task A_version_2_database_gains_task_owners_and_the_tokens_table()
    {
        var path = Path.Combine(_directory, SqliteTaskStore.FileName);
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE tasks (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, state INTEGER NOT NULL, node TEXT NULL,
                    spec BLOB NOT NULL, target BLOB NULL, unit TEXT NULL, exit_code INTEGER NULL, exit_signal INTEGER NULL,
                    reason TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, started_at INTEGER NULL, finished_at INTEGER NULL,
                    stdout_total INTEGER NULL, stderr_total INTEGER NULL, usage BLOB NULL);
                INSERT INTO tasks (id, state, spec, created_at) VALUES ('t00000000old', 1, x'', 0);
                PRAGMA user_version = 2;
                """;
            create.ExecuteNonQuery();
        }

        using var tasks = new SqliteTaskStore(_directory, TimeProvider.System);
        using var tokens = new SqliteTokenStore(_directory);

        var page = await tasks.ListAsync(new TaskQuery([], null, 10, null));
        Assert.Equal(string.Empty, Assert.Single(page.Tasks).Owner);
        Assert.True(await tokens.TryCreateAsync(new TokenRecord("admin", TokenRole.Admin, null, null, Now), TokenSecret.Hash("s")));
    }

    [Fact]
    public async Task A_version_3_database_gains_token_accounts_and_its_admins_keep_root_as_their_default()
    {
        var path = Path.Combine(_directory, SqliteTaskStore.FileName);
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE tokens (name TEXT PRIMARY KEY, hash BLOB NOT NULL UNIQUE, role INTEGER NOT NULL, node TEXT NULL,
                    expires_at INTEGER NULL, created_at INTEGER NOT NULL);
                INSERT INTO tokens (name, hash, role, created_at) VALUES ('admin', x'01', 1, 0), ('alice', x'02', 2, 0), ('node1', x'03', 3, 0);
                PRAGMA user_version = 3;
                """;
            create.ExecuteNonQuery();
        }

        using var tokens = new SqliteTokenStore(_directory);

        var listed = (await tokens.ListAsync()).ToDictionary(t => t.Name, t => t.Accounts?.ToString());
        Assert.Equal("root", listed["admin"]);
        // A user token without accounts runs as its name (TaskUserPolicy); a runner token runs no tasks.
        Assert.Null(listed["alice"]);
        Assert.Null(listed["node1"]);
    }

    [Fact]
    public async Task A_tokens_accounts_are_stored_in_order_and_read_back_equal()
    {
        using var store = new SqliteTokenStore(_directory);
        var accounts = TaskAccounts.Create(["alice", "lab", "1234"], rootAllowed: false, new List<string>());
        var token = new TokenRecord("alice", TokenRole.User, null, null, Now, accounts);

        Assert.True(await store.TryCreateAsync(token, TokenSecret.Hash("rr_alice")));

        Assert.Equal(token, await store.FindAsync(TokenSecret.Hash("rr_alice")));
        Assert.Equal(["alice", "lab", "1234"], Assert.Single(await store.ListAsync()).Accounts!.All);
    }

    [Fact]
    public async Task Without_tokens_every_call_is_open_access()
    {
        using var store = new SqliteTokenStore(_directory);
        var authorizer = new TokenAuthorizer(store, new ManualTimeProvider(Now));

        var caller = await authorizer.AuthorizeAsync("riverrun.v1.Tokens", "Create", new FakeServerCallContext());

        Assert.Same(Caller.OpenAccess, caller);
    }

    [Fact]
    public async Task Once_a_token_exists_a_call_without_one_is_Unauthenticated_and_told_what_to_do()
    {
        using var store = new SqliteTokenStore(_directory);
        await store.TryCreateAsync(new TokenRecord("admin", TokenRole.Admin, null, null, Now), TokenSecret.Hash("rr_admin"));
        var authorizer = new TokenAuthorizer(store, new ManualTimeProvider(Now));

        var error = await Assert.ThrowsAsync<RpcException>(() => authorizer.AuthorizeAsync("riverrun.v1.Tasks", "List", new FakeServerCallContext()).AsTask());

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("RIVERRUN_TOKEN", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_or_expired_token_is_Unauthenticated_and_the_message_never_echoes_the_secret()
    {
        using var store = new SqliteTokenStore(_directory);
        var clock = new ManualTimeProvider(Now);
        await store.TryCreateAsync(new TokenRecord("short", TokenRole.User, null, Now.AddHours(1), Now), TokenSecret.Hash("rr_short"));
        var authorizer = new TokenAuthorizer(store, clock);

        Assert.Equal("short", (await authorizer.AuthorizeAsync("riverrun.v1.Tasks", "List", WithToken("rr_short"))).Name);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => authorizer.AuthorizeAsync("riverrun.v1.Tasks", "List", WithToken("rr_guess")).AsTask());
        clock.Advance(TimeSpan.FromHours(1));
        var expired = await Assert.ThrowsAsync<RpcException>(() => authorizer.AuthorizeAsync("riverrun.v1.Tasks", "List", WithToken("rr_short")).AsTask());

        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);
        Assert.DoesNotContain("rr_guess", unknown.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, expired.StatusCode);
        Assert.Contains("'short' expired", expired.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("rr_short", expired.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_known_token_of_the_wrong_role_is_PermissionDenied_naming_the_role_needed()
    {
        using var store = new SqliteTokenStore(_directory);
        await store.TryCreateAsync(new TokenRecord("watcher", TokenRole.Viewer, null, null, Now), TokenSecret.Hash("rr_v"));
        var authorizer = new TokenAuthorizer(store, new ManualTimeProvider(Now));

        var error = await Assert.ThrowsAsync<RpcException>(() => authorizer.AuthorizeAsync("riverrun.v1.Tasks", "Kill", WithToken("rr_v")).AsTask());

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("role viewer", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("admin or user", error.Status.Detail, StringComparison.Ordinal);
    }

    private static FakeServerCallContext WithToken(string secret)
    {
        var context = new FakeServerCallContext();
        context.RequestHeaders.Add("authorization", "Bearer " + secret);
        return context;
    }
}
