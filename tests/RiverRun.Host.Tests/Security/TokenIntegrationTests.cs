using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using RiverRun.Contracts;
using RiverRun.Host.Security;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests.Security;

/// <summary>Tokens through the real Host (Kestrel, HTTP/2, SQLite), every RPC as each role.</summary>
public sealed class TokenIntegrationTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("riverrun-token-host-tests-").FullName;
    private readonly List<GrpcChannel> _channels = [];
    private TestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await TestHost.StartAsync(_directory);

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    public static TheoryData<string> EveryRpc()
    {
        var data = new TheoryData<string>();
        foreach (var method in RpcPermissionsTests.AllMethods())
        {
            data.Add(method.Service.FullName + "/" + method.Name);
        }

        return data;
    }

    public static TheoryData<string, TokenRole> EveryRpcAndRole()
    {
        var data = new TheoryData<string, TokenRole>();
        foreach (var method in RpcPermissionsTests.AllMethods())
        {
            foreach (var role in TokenRoles.All)
            {
                data.Add(method.Service.FullName + "/" + method.Name, role);
            }
        }

        return data;
    }

    [Fact]
    public async Task Without_tokens_the_Host_serves_every_caller_as_before()
    {
        var submitted = await _host.Tasks.SubmitAsync(new V1.SubmitRequest { Spec = new V1.TaskSpec { Argv = { "true" } } });

        Assert.Equal(string.Empty, Assert.Single(submitted.Tasks).Owner);
    }

    [Theory]
    [MemberData(nameof(EveryRpc))]
    public async Task Once_a_token_exists_every_RPC_without_one_is_Unauthenticated(string rpc)
    {
        await CreateAsync("admin", TokenRole.Admin);

        var status = await CallAsync(rpc, _host.Channel, "node1");

        Assert.Equal(StatusCode.Unauthenticated, status.StatusCode);
        Assert.Contains("RIVERRUN_TOKEN", status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryRpcAndRole))]
    public async Task Each_role_may_call_its_RPCs_and_is_refused_the_others(string rpc, TokenRole role)
    {
        var secret = await CreateAsync("caller", role, role == TokenRole.Runner ? "node1" : null);
        var parts = rpc.Split('/');

        var status = await CallAsync(rpc, Channel(secret), "node1");

        if (RpcPermissions.Allows(role, parts[0], parts[1]))
        {
            // Past authorization the handler answers for itself: a made-up id is NotFound, and so on.
            Assert.NotEqual(StatusCode.Unauthenticated, status.StatusCode);
            Assert.NotEqual(StatusCode.PermissionDenied, status.StatusCode);
        }
        else
        {
            Assert.Equal(StatusCode.PermissionDenied, status.StatusCode);
            Assert.Contains($"role {role.ToName()}", status.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_runner_token_for_node1_registers_as_node1_and_its_instances_but_not_as_node2()
    {
        var runners = new V1.Runners.RunnersClient(Channel(await CreateAsync("node1", TokenRole.Runner, "node1")));

        await using (var node1 = await FakeRunner.ConnectAsync(runners, "node1"))
        await using (var instance = await FakeRunner.ConnectAsync(runners, "node1-gpu0"))
        {
            Assert.NotNull(node1.Registered);
            Assert.NotNull(instance.Registered);
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => FakeRunner.ConnectAsync(runners, "node2"));
        var status = Assert.IsType<RpcException>(error.InnerException ?? error).Status;
        Assert.Equal(StatusCode.PermissionDenied, status.StatusCode);
        Assert.Contains("bound to node node1", status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Services.GetRequiredService<Nodes.NodeRegistry>().List(), n => n.Name == "node2");
    }

    [Fact]
    public async Task A_user_token_cannot_connect_as_a_Runner()
    {
        var runners = new V1.Runners.RunnersClient(Channel(await CreateAsync("alice", TokenRole.User)));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => FakeRunner.ConnectAsync(runners, "alice"));

        Assert.Equal(StatusCode.PermissionDenied, Assert.IsType<RpcException>(error.InnerException ?? error).StatusCode);
    }

    [Fact]
    public async Task A_user_sees_another_users_task_only_as_id_owner_and_state_and_cannot_touch_it()
    {
        var alice = new V1.Tasks.TasksClient(Channel(await CreateAsync("alice", TokenRole.User)));
        var bob = new V1.Tasks.TasksClient(Channel(await CreateAsync("bob", TokenRole.User)));
        var bobs = Assert.Single((await bob.SubmitAsync(new V1.SubmitRequest { Spec = new V1.TaskSpec { Argv = { "echo", "bob's secret" } } })).Tasks);
        var alices = Assert.Single((await alice.SubmitAsync(new V1.SubmitRequest { Spec = new V1.TaskSpec { Argv = { "true" } } })).Tasks);

        var seen = await alice.GetAsync(new V1.GetTaskRequest { TaskId = bobs.Id });
        var listed = (await alice.ListAsync(new V1.ListTasksRequest())).Tasks;

        Assert.Equal("bob", bobs.Owner);
        Assert.Equal(new V1.TaskInfo { Id = bobs.Id, Owner = "bob", State = bobs.State }, seen);
        Assert.Equal(new V1.TaskInfo { Id = bobs.Id, Owner = "bob", State = bobs.State }, Assert.Single(listed, t => t.Id == bobs.Id));
        Assert.Equal(["true"], Assert.Single(listed, t => t.Id == alices.Id).Spec.Argv);
        await AssertDeniedAsync(() => alice.KillAsync(new V1.KillRequest { TaskId = bobs.Id }).ResponseAsync);
        await AssertDeniedAsync(() => alice.PauseAsync(new V1.PauseRequest { TaskId = bobs.Id }).ResponseAsync);
        await AssertDeniedAsync(() => alice.ResumeAsync(new V1.ResumeRequest { TaskId = bobs.Id }).ResponseAsync);
        await AssertDeniedAsync(async () =>
        {
            using var watch = alice.WatchOutput(new V1.WatchOutputRequest { TaskId = bobs.Id });
            await watch.ResponseStream.MoveNext();
        });
        // Bob's task is untouched, and Bob may kill it.
        Assert.Equal(V1.TaskState.Queued, (await _host.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = bobs.Id }, Admin())).State);
        Assert.Equal(V1.TaskState.Cancelled, (await bob.KillAsync(new V1.KillRequest { TaskId = bobs.Id })).State);
    }

    [Fact]
    public async Task A_revoked_token_stops_at_once_and_its_open_Runner_stream_is_closed()
    {
        var admin = new V1.Tokens.TokensClient(Channel(await CreateAsync("admin", TokenRole.Admin)));
        var runnerSecret = (await admin.CreateAsync(new V1.CreateTokenRequest { Name = "node1", Role = V1.TokenRole.Runner, Node = "node1" })).Secret;
        var runners = new V1.Runners.RunnersClient(Channel(runnerSecret));
        await using var runner = await FakeRunner.ConnectAsync(runners, "node1");

        var revoked = await admin.RevokeAsync(new V1.RevokeTokenRequest { Name = "node1" });

        Assert.Equal(1, revoked.ClosedStreams);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ended = await Assert.ThrowsAnyAsync<Exception>(() => runner.WaitForAsync(_ => false));
        // The Host ends the stream with Unauthenticated while the Runner's side is still open, and
        // Kestrel then resets the stream: grpc-dotnet sometimes reports that reset, as a
        // cancellation, before the status (grpc/grpc-dotnet#1394). Either way the stream is over,
        // which is what a Runner acts on; the reconnect below must then be refused.
        switch (ended.InnerException ?? ended)
        {
            case RpcException { Status: var status }:
                Assert.Equal(StatusCode.Unauthenticated, status.StatusCode);
                Assert.Contains("revoked", status.Detail, StringComparison.Ordinal);
                break;
            case var other:
                Assert.IsAssignableFrom<OperationCanceledException>(other);
                // Not the wait's own timeout: the stream ended at once.
                Assert.True(clock.Elapsed < FakeRunner.Patience / 2, $"the stream was still open after {clock.Elapsed}");
                break;
        }

        var again = await Assert.ThrowsAnyAsync<Exception>(() => FakeRunner.ConnectAsync(runners, "node1"));
        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(again.InnerException ?? again).StatusCode);
    }

    [Fact]
    public async Task Token_management_lists_no_secrets_and_refuses_bad_requests_clearly()
    {
        var admin = new V1.Tokens.TokensClient(Channel(await CreateAsync("admin", TokenRole.Admin)));

        var created = await admin.CreateAsync(new V1.CreateTokenRequest { Name = "ci", Role = V1.TokenRole.Viewer });
        var listed = await admin.ListAsync(new V1.ListTokensRequest());
        var duplicate = await Assert.ThrowsAsync<RpcException>(() => admin.CreateAsync(new V1.CreateTokenRequest { Name = "ci", Role = V1.TokenRole.User }).ResponseAsync);
        var unbound = await Assert.ThrowsAsync<RpcException>(() => admin.CreateAsync(new V1.CreateTokenRequest { Name = "r", Role = V1.TokenRole.Runner }).ResponseAsync);

        Assert.StartsWith("rr_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(["admin", "ci"], listed.Tokens.Select(t => t.Name));
        Assert.DoesNotContain(created.Secret, listed.ToString(), StringComparison.Ordinal);
        Assert.Equal(StatusCode.FailedPrecondition, duplicate.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, unbound.StatusCode);
        Assert.Contains("--node", unbound.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_tokens_tasks_run_as_its_accounts_never_as_root_and_a_refusal_names_the_accounts_it_may_use()
    {
        var admin = new V1.Tokens.TokensClient(Channel(await CreateAsync("admin", TokenRole.Admin)));
        var created = await admin.CreateAsync(new V1.CreateTokenRequest { Name = "carol", Role = V1.TokenRole.User, Accounts = { "carol", "lab" } });
        var carol = new V1.Tasks.TasksClient(Channel(created.Secret));

        var byDefault = Assert.Single((await carol.SubmitAsync(Submit(user: ""))).Tasks);
        var asLab = Assert.Single((await carol.SubmitAsync(Submit(user: "lab"))).Tasks);
        var root = await Assert.ThrowsAsync<RpcException>(() => carol.SubmitAsync(Submit(user: "root")).ResponseAsync);
        var uidZero = await Assert.ThrowsAsync<RpcException>(() => carol.SubmitAsync(Submit(user: "0")).ResponseAsync);
        var other = await Assert.ThrowsAsync<RpcException>(() => carol.SubmitAsync(Submit(user: "dave")).ResponseAsync);

        Assert.Equal(["carol", "lab"], created.Token.Accounts);
        Assert.Equal("carol", byDefault.Spec.User);
        Assert.Equal("lab", asLab.Spec.User);
        Assert.Equal(StatusCode.PermissionDenied, root.StatusCode);
        Assert.Contains("never runs tasks as root", root.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.PermissionDenied, uidZero.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Contains("may run tasks as carol, lab, not as 'dave'", other.Status.Detail, StringComparison.Ordinal);
        // Refused submits created nothing.
        Assert.Equal(2, (await _host.Tasks.ListAsync(new V1.ListTasksRequest(), Admin())).Tasks.Count);
    }

    [Fact]
    public async Task An_admin_token_runs_tasks_as_any_account_asked_for_and_otherwise_as_its_first_which_is_its_name_unless_given()
    {
        var admin = new V1.Tokens.TokensClient(Channel(await CreateAsync("admin", TokenRole.Admin)));
        var ops = await admin.CreateAsync(new V1.CreateTokenRequest { Name = "ops", Role = V1.TokenRole.Admin });
        var rooted = await admin.CreateAsync(new V1.CreateTokenRequest { Name = "boss", Role = V1.TokenRole.Admin, Accounts = { "root" } });
        var asOps = new V1.Tasks.TasksClient(Channel(ops.Secret));
        var asBoss = new V1.Tasks.TasksClient(Channel(rooted.Secret));

        Assert.Equal(["ops"], ops.Token.Accounts);
        Assert.Equal("ops", Assert.Single((await asOps.SubmitAsync(Submit(user: ""))).Tasks).Spec.User);
        Assert.Equal("root", Assert.Single((await asOps.SubmitAsync(Submit(user: "root"))).Tasks).Spec.User);
        Assert.Equal("nobody", Assert.Single((await asOps.SubmitAsync(Submit(user: "nobody"))).Tasks).Spec.User);
        Assert.Equal("root", Assert.Single((await asBoss.SubmitAsync(Submit(user: ""))).Tasks).Spec.User);
    }

    [Theory]
    [InlineData(V1.TokenRole.User, new[] { "root" }, "a user token never runs tasks as root")]
    [InlineData(V1.TokenRole.User, new[] { "alice", "0" }, "'0': a user token never runs tasks as root")]
    [InlineData(V1.TokenRole.User, new[] { "-rf" }, "accounts: '-rf': user must be a uid or a name")]
    [InlineData(V1.TokenRole.User, new[] { "a", "a" }, "an account is named twice")]
    [InlineData(V1.TokenRole.Viewer, new[] { "alice" }, "only user and admin tokens run tasks, not viewer tokens; drop --accounts")]
    public async Task Bad_accounts_are_refused_with_what_is_wrong_and_nothing_is_created(V1.TokenRole role, string[] accounts, string message)
    {
        var admin = new V1.Tokens.TokensClient(Channel(await CreateAsync("admin", TokenRole.Admin)));

        var refused = await Assert.ThrowsAsync<RpcException>(() => admin.CreateAsync(new V1.CreateTokenRequest { Name = "x", Role = role, Accounts = { accounts } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(message, refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["admin"], (await admin.ListAsync(new V1.ListTokensRequest())).Tokens.Select(t => t.Name));
    }

    [Fact]
    public async Task A_user_token_whose_name_is_no_account_name_must_be_given_its_accounts()
    {
        var admin = new V1.Tokens.TokensClient(Channel(await CreateAsync("admin", TokenRole.Admin)));

        var refused = await Assert.ThrowsAsync<RpcException>(() => admin.CreateAsync(new V1.CreateTokenRequest { Name = "2nd-shift", Role = V1.TokenRole.User }).ResponseAsync);
        var given = await admin.CreateAsync(new V1.CreateTokenRequest { Name = "2nd-shift", Role = V1.TokenRole.User, Accounts = { "shift2" } });

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("none were given, so the token's name was tried as its OS account; name the accounts with --accounts", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["shift2"], given.Token.Accounts);
    }

    private static V1.SubmitRequest Submit(string user) =>
        new() { Spec = new V1.TaskSpec { Argv = { "id", "-u" }, User = user } };

    private static async Task AssertDeniedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("ask the task's owner or an admin", error.Status.Detail, StringComparison.Ordinal);
    }

    private Metadata Admin()
    {
        var store = _host.Services.GetRequiredService<SqliteTokenStore>();
        var secret = TokenSecret.Generate();
        store.TryCreateAsync(new TokenRecord("admin-" + Guid.NewGuid().ToString("N")[..8], TokenRole.Admin, null, null, DateTimeOffset.UtcNow), TokenSecret.Hash(secret)).GetAwaiter().GetResult();
        return new Metadata { { "authorization", "Bearer " + secret } };
    }

    private async Task<string> CreateAsync(string name, TokenRole role, string? node = null)
    {
        var secret = TokenSecret.Generate();
        Assert.True(await _host.Services.GetRequiredService<SqliteTokenStore>()
            .TryCreateAsync(new TokenRecord(name, role, node, null, DateTimeOffset.UtcNow), TokenSecret.Hash(secret)));
        return secret;
    }

    private GrpcChannel Channel(string secret)
    {
        var channel = HostChannel.Create(_host.GrpcAddress.ToString(), new HostChannelOptions { BearerToken = secret });
        _channels.Add(channel);
        return channel;
    }

    /// <summary>Calls the RPC with a harmless request; the status it ended with (OK when it succeeded).</summary>
    private static async Task<Status> CallAsync(string rpc, GrpcChannel channel, string node)
    {
        var tasks = new V1.Tasks.TasksClient(channel);
        try
        {
            switch (rpc)
            {
                case "riverrun.v1.Tasks/Submit":
                    await tasks.SubmitAsync(new V1.SubmitRequest { Spec = new V1.TaskSpec { Argv = { "true" } } });
                    break;
                case "riverrun.v1.Tasks/Get":
                    await tasks.GetAsync(new V1.GetTaskRequest { TaskId = "nosuchtask" });
                    break;
                case "riverrun.v1.Tasks/List":
                    await tasks.ListAsync(new V1.ListTasksRequest());
                    break;
                case "riverrun.v1.Tasks/WatchOutput":
                    using (var watch = tasks.WatchOutput(new V1.WatchOutputRequest { TaskId = "nosuchtask" }))
                    {
                        await watch.ResponseStream.MoveNext();
                    }

                    break;
                case "riverrun.v1.Tasks/Kill":
                    await tasks.KillAsync(new V1.KillRequest { TaskId = "nosuchtask" });
                    break;
                case "riverrun.v1.Tasks/Pause":
                    await tasks.PauseAsync(new V1.PauseRequest { TaskId = "nosuchtask" });
                    break;
                case "riverrun.v1.Tasks/Resume":
                    await tasks.ResumeAsync(new V1.ResumeRequest { TaskId = "nosuchtask" });
                    break;
                case "riverrun.v1.Nodes/List":
                    await new V1.Nodes.NodesClient(channel).ListAsync(new V1.ListNodesRequest());
                    break;
                case "riverrun.v1.Runners/Connect":
                    await using (await FakeRunner.ConnectAsync(new V1.Runners.RunnersClient(channel), node))
                    {
                    }

                    break;
                case "riverrun.v1.Tokens/Create":
                    await new V1.Tokens.TokensClient(channel).CreateAsync(new V1.CreateTokenRequest { Name = "made", Role = V1.TokenRole.Viewer });
                    break;
                case "riverrun.v1.Tokens/List":
                    await new V1.Tokens.TokensClient(channel).ListAsync(new V1.ListTokensRequest());
                    break;
                case "riverrun.v1.Tokens/Revoke":
                    await new V1.Tokens.TokensClient(channel).RevokeAsync(new V1.RevokeTokenRequest { Name = "nosuchtoken" });
                    break;
                default:
                    throw new InvalidOperationException($"the test does not know how to call {rpc}; add it");
            }

            return Status.DefaultSuccess;
        }
        catch (RpcException error)
        {
            return error.Status;
        }
        catch (Exception error) when (error.InnerException is RpcException inner)
        {
            return inner.Status;
        }
    }
}
